/**
 * A function that gives back its last result while it is called with the
 * same inputs (the same objects, compared with ===). For values derived from
 * the store that cost something with 10,000 contacts (the contact list with
 * presence, the dial box's suggestions) but are read on every render: the
 * store replaces a list when it changes, so an unchanged list is the same
 * object.
 */
export function lastResult<Inputs extends readonly unknown[], Result>(compute: (...inputs: Inputs) => Result): (...inputs: Inputs) => Result {
  let last: { inputs: Inputs; result: Result } | null = null;
  return (...inputs) => {
    if (last && inputs.length === last.inputs.length && inputs.every((input, i) => input === last!.inputs[i])) return last.result;
    const result = compute(...inputs);
    last = { inputs, result };
    return result;
  };
}
