import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { demoMenu } from '../../ivr/demo-ivr.ts';
import { INVALID_PROMPT, MenuMachine, loadMenuFile, menuPrompts, parseMenu } from '../../ivr/menu.ts';
import { expect, test } from '../support/temp-dir.ts';

function pressAll(machine: MenuMachine, digits: string) {
  return [...digits].map((digit) => machine.digit(digit));
}

test('starts at the root and plays its prompt', () => {
  const machine = new MenuMachine(demoMenu());
  expect(machine.start()).toEqual({ steps: [{ action: 'enter', path: ['main'] }], play: ['main'], echo: false, awaitsInput: true });
});

test('three levels deep by digits, and * goes back one level at a time', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  const [support, internet, agent] = pressAll(machine, '213');
  expect(support!.steps).toEqual([{ action: 'enter', path: ['main', 'support'], digit: '2' }]);
  expect(internet!.steps).toEqual([{ action: 'enter', path: ['main', 'support', 'internet'], digit: '1' }]);
  expect(agent).toEqual({ steps: [{ action: 'enter', path: ['main', 'support', 'internet', 'agent'], digit: '3' }], play: ['agent'], echo: false, awaitsInput: false });
  expect(machine.digit('*').steps).toEqual([{ action: 'back', path: ['main', 'support', 'internet'], digit: '*' }]);
  expect(machine.digit('*').play).toEqual(['support']);
  machine.digit('*');
  expect(machine.digit('*')).toMatchObject({ steps: [{ action: 'back', path: ['main'] }], play: ['main'] });
});

test('an invalid choice says so, then replays the prompt, and stays put', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  machine.digit('2');
  expect(machine.digit('7')).toEqual({ steps: [{ action: 'invalid', path: ['main', 'support'], digit: '7' }], play: [INVALID_PROMPT, 'support'], echo: false, awaitsInput: true });
  expect(machine.digit('#').steps[0]!.action).toBe('invalid');
});

test('a timeout replays the prompt', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  machine.digit('2');
  expect(machine.timeout()).toEqual({ steps: [{ action: 'timeout', path: ['main', 'support'] }], play: ['support'], echo: false, awaitsInput: true });
});

test('an entry collects digits until #, reports them, then moves on', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  machine.digit('3');
  expect(pressAll(machine, '4711').every((output) => output.steps.length === 0 && output.play.length === 0 && output.awaitsInput)).toBe(true);
  expect(machine.digit('#')).toEqual({
    steps: [
      { action: 'entry', path: ['main', 'account'], entry: '4711', digit: '#' },
      { action: 'enter', path: ['main', 'account', 'account-found'] },
    ],
    play: ['account-found'],
    echo: false,
    awaitsInput: false,
  });
});

test('an entry: # alone is invalid, a timeout clears what was typed, * goes back', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  machine.digit('3');
  expect(machine.digit('#').steps[0]!.action).toBe('invalid');
  pressAll(machine, '12');
  machine.timeout();
  pressAll(machine, '9');
  expect(machine.digit('#').steps[0]).toMatchObject({ action: 'entry', entry: '9' });
  machine.digit('*');
  machine.digit('*');
  expect(machine.path).toEqual(['main']);
});

test('an entry longer than maxDigits is invalid', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  machine.digit('3');
  const outputs = pressAll(machine, '1234567890123');
  expect(outputs.at(-1)!.steps[0]!.action).toBe('invalid');
});

test('the echo line turns echo on, other keys are ignored there, * leaves it', () => {
  const machine = new MenuMachine(demoMenu());
  machine.start();
  expect(machine.digit('9')).toMatchObject({ echo: true, play: ['echo'], awaitsInput: false });
  expect(machine.digit('5')).toEqual({ steps: [], play: [], echo: true, awaitsInput: false });
  expect(machine.digit('*')).toMatchObject({ echo: false, steps: [{ action: 'back', path: ['main'] }] });
});

test('the demo menu has a prompt for every node and the invalid message', () => {
  const menu = demoMenu();
  expect([...menuPrompts(menu).keys()].sort()).toEqual([...Object.keys(menu.nodes), INVALID_PROMPT].sort());
});

/** Writes `menu` as a menu file and returns the file and the error loading it gave. */
async function loadWritten(tempDir: string, menu: unknown): Promise<{ file: string; error: Error | null }> {
  const file = path.join(tempDir, 'menu.json');
  await writeFile(file, JSON.stringify(menu));
  return { file, error: await loadMenuFile(file).then(() => null, (e: Error) => e) };
}

test('a malformed menu is refused with the file and the path of every problem', async ({ tempDir }) => {
  const { file, error } = await loadWritten(tempDir, {
    root: 'main',
    invalid: 'Nope.',
    nodes: { main: { type: 'menu', say: 'Hi', choices: { x: 'main' } }, odd: { type: 'dance', say: 'x' }, quiet: { type: 'message', say: '' } },
  });
  expect(error?.message).toContain(`Invalid menu file ${file}:`);
  for (const where of ['at nodes.main.choices.x', 'at nodes.odd.type', 'at nodes.quiet.say']) expect(error?.message).toContain(where);
});

test('a menu pointing at nodes that do not exist is refused, naming each reference', async ({ tempDir }) => {
  const { error } = await loadWritten(tempDir, {
    root: 'start',
    invalid: 'Nope.',
    nodes: { main: { type: 'menu', say: 'Hi', choices: { '1': 'missing', '*': 'main' } }, entry: { type: 'entry', say: 'Type', next: 'nowhere' } },
  });
  for (const where of ['at root: no node "start"', 'at nodes.main.choices.1: no node "missing"', 'at nodes.main.choices.*: "*" always goes back', 'at nodes.entry.next: no node "nowhere"']) {
    expect(error?.message).toContain(where);
  }
});

test('unreadable and non-JSON menu files get clear errors', async ({ tempDir }) => {
  const file = path.join(tempDir, 'menu.json');
  await expect(loadMenuFile(file)).rejects.toThrow(`Cannot read menu file ${file}`);
  await writeFile(file, '{ not json');
  await expect(loadMenuFile(file)).rejects.toThrow(`Invalid menu file ${file}: not JSON`);
  expect(() => parseMenu([], 'inline')).toThrow('Invalid menu file inline:\n  at (top level)');
});
