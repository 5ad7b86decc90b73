/**
 * Lets other requests on this isolate run before going on. Long imports call it between slices of
 * work: a promise that resolves at once would not, since pending requests only get a turn after
 * a macrotask, and a search waiting behind a whole import is the portal stalling on race day.
 */
export const giveWay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
