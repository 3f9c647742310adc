// When the Activity page's "Load older" button shows as loading. useSWRInfinite validates for any
// page it reads, the first one too (it is read again on every opening): only a page asked for and
// not there yet is the button's own read.
export interface FeedProgress {
  /** Pages asked for (useSWRInfinite's size). */
  size: number;
  /** Pages read so far (its data's length), or undefined before the first. */
  loaded: number | undefined;
  /** Whether any page is being read (its isValidating). */
  validating: boolean;
}

/** Whether an older page the button asked for is being read. */
export function isLoadingOlder({ size, loaded, validating }: FeedProgress): boolean {
  return validating && loaded !== undefined && size > loaded;
}
