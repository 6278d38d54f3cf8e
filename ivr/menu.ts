/**
 * The IVR's menu: a schema for the menu file and a pure state machine (digit
 * in → steps to report and prompts to play out), so every way a digit can
 * arrive steers the same menu and the menu logic is testable without audio.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const NodeId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'node ids are lower-case letters, digits and dashes');
const Say = z.string().trim().min(1).max(500);
const Key = z.string().regex(/^[0-9A-D#*]$/, 'a choice key is one of 0-9, A-D, # and *');

const MenuNode = z.object({ type: z.literal('menu'), say: Say, choices: z.record(Key, NodeId) }).strict();
const EntryNode = z
  .object({ type: z.literal('entry'), say: Say, next: NodeId, maxDigits: z.number().int().min(1).max(32).default(16) })
  .strict();
const MessageNode = z.object({ type: z.literal('message'), say: Say }).strict();
const EchoNode = z.object({ type: z.literal('echo'), say: Say }).strict();
const Node = z.discriminatedUnion('type', [MenuNode, EntryNode, MessageNode, EchoNode]);

export const MenuDefinition = z
  .object({
    root: NodeId,
    /** Spoken after a digit the current node has no use for, before its prompt again. */
    invalid: Say,
    nodes: z.record(NodeId, Node),
  })
  .strict()
  .superRefine((menu, context) => {
    const exists = (id: string, path: (string | number)[]) => {
      if (!(id in menu.nodes)) context.addIssue({ code: 'custom', path, message: `no node "${id}" in nodes` });
    };
    exists(menu.root, ['root']);
    for (const [id, node] of Object.entries(menu.nodes)) {
      if (node.type === 'menu') {
        for (const [key, target] of Object.entries(node.choices)) {
          if (key === '*') context.addIssue({ code: 'custom', path: ['nodes', id, 'choices', key], message: '"*" always goes back; it cannot be a choice' });
          exists(target, ['nodes', id, 'choices', key]);
        }
      }
      if (node.type === 'entry') exists(node.next, ['nodes', id, 'next']);
    }
  });
export type MenuDefinition = z.infer<typeof MenuDefinition>;
export type MenuNode = MenuDefinition['nodes'][string];

/** The prompt id of the "invalid choice" message; every other prompt id is a node id. */
export const INVALID_PROMPT = 'invalid';

/** Validate menu data; the error names where it came from and the path of every problem. */
export function parseMenu(data: unknown, source: string): MenuDefinition {
  const result = MenuDefinition.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  at ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  throw new Error(`Invalid menu file ${source}:\n${problems.join('\n')}`);
}

export async function loadMenuFile(file: string): Promise<MenuDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read menu file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`Invalid menu file ${file}: not JSON (${(error as Error).message})`);
  }
  return parseMenu(data, file);
}

/** Every prompt a menu can play with the words to say: one per node, plus "invalid". */
export function menuPrompts(menu: MenuDefinition): Map<string, string> {
  const prompts = new Map<string, string>([[INVALID_PROMPT, menu.invalid]]);
  for (const [id, node] of Object.entries(menu.nodes)) prompts.set(id, node.say);
  return prompts;
}

export type MenuAction = 'enter' | 'back' | 'invalid' | 'timeout' | 'entry';

export interface MenuStep {
  action: MenuAction;
  /** Node ids from the root to where the caller is after this step. */
  path: string[];
  /** The digits collected, on `entry`. */
  entry?: string;
  /** The digit that caused the step, if one did. */
  digit?: string;
}

export interface MenuOutput {
  steps: MenuStep[];
  /** Prompt ids to play, in order; empty means keep playing what plays. */
  play: string[];
  /** Whether the caller now hears their own audio. */
  echo: boolean;
  /** Whether the IVR should time the caller out if no digit follows the prompt. */
  awaitsInput: boolean;
}

export class MenuMachine {
  private readonly stack: string[] = [];
  private entered = '';

  constructor(private readonly menu: MenuDefinition) {}

  get path(): string[] {
    return [...this.stack];
  }

  private get node(): MenuNode {
    return this.menu.nodes[this.stack.at(-1)!]!;
  }

  start(): MenuOutput {
    this.stack.length = 0;
    return this.enter(this.menu.root, 'enter');
  }

  digit(digit: string): MenuOutput {
    if (this.stack.length === 0) return this.start();
    const node = this.node;
    if (digit === '*') return this.back(digit);
    switch (node.type) {
      case 'menu': {
        const target = node.choices[digit];
        return target ? this.enter(target, 'enter', digit) : this.invalid(digit);
      }
      case 'entry':
        if (digit === '#') {
          if (this.entered === '') return this.invalid(digit);
          const entry = this.entered;
          const done = this.output([{ action: 'entry', path: this.path, entry, digit }], []);
          return this.merge(done, this.enter(node.next, 'enter'));
        }
        if (this.entered.length >= node.maxDigits) return this.invalid(digit);
        this.entered += digit;
        return this.output([], []);
      case 'message':
      case 'echo':
        // Only "*" means something here; other keys must not interrupt the message or the echo.
        return this.output([], []);
    }
  }

  /** No digit came in time after the prompt: say it again. */
  timeout(): MenuOutput {
    if (this.stack.length === 0) return this.start();
    this.entered = '';
    return this.output([{ action: 'timeout', path: this.path }], [this.stack.at(-1)!]);
  }

  private enter(id: string, action: MenuAction, digit?: string): MenuOutput {
    this.stack.push(id);
    this.entered = '';
    return this.output([{ action, path: this.path, ...(digit === undefined ? {} : { digit }) }], [id]);
  }

  private back(digit: string): MenuOutput {
    if (this.stack.length > 1) this.stack.pop();
    this.entered = '';
    return this.output([{ action: 'back', path: this.path, digit }], [this.stack.at(-1)!]);
  }

  private invalid(digit: string): MenuOutput {
    this.entered = '';
    return this.output([{ action: 'invalid', path: this.path, digit }], [INVALID_PROMPT, this.stack.at(-1)!]);
  }

  private output(steps: MenuStep[], play: string[]): MenuOutput {
    const type = this.node.type;
    return { steps, play, echo: type === 'echo', awaitsInput: type === 'menu' || type === 'entry' };
  }

  private merge(first: MenuOutput, second: MenuOutput): MenuOutput {
    return { ...second, steps: [...first.steps, ...second.steps], play: [...first.play, ...second.play] };
  }
}
