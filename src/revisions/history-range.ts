/** Which `history` listings read the database: those that mark where it is, or whose range only it can bound. */

/**
 * Whether a `history -r` range needs the database: a side that names `current` or steps from where the database
 * is (`-2`, `+1`, `label@-1`). Steps from a named revision (`head-1`, `1a2b+2`) do not.
 */
export function rangeNeedsDatabase(range: string): boolean {
  return range.split(':').some((side) => {
    const s = side.trim();
    return /(^|[^\w-])current\b/.test(s) || /^[+-]\d+$/.test(s) || /@[+-]\d+$/.test(s);
  });
}

/** Whether `history` with these options reads the database: to mark where it is (-i), or for such a range. */
export function historyNeedsDatabase(opts: { readonly revRange?: string | undefined; readonly indicateCurrent?: boolean | undefined }): boolean {
  return !!opts.indicateCurrent || (opts.revRange !== undefined && rangeNeedsDatabase(opts.revRange));
}
