import { useState } from 'preact/hooks';

/** Keyset paging through a listing: the cursors of the pages opened so far, for "next" and back to the first. */
export function usePaging() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    cursor: cursors[cursors.length - 1],
    onFirst: cursors.length === 1,
    next: (cursor: string) => setCursors([...cursors, cursor]),
    first: () => setCursors([null]),
  };
}

export function Paging({ paging, nextCursor, labels }: { paging: ReturnType<typeof usePaging>; nextCursor: string | null | undefined; labels: { first: string; next: string } }) {
  if (paging.onFirst && !nextCursor) return null;
  return (
    <div class="paging">
      {!paging.onFirst && (
        <button type="button" class="secondary" onClick={paging.first}>
          {labels.first}
        </button>
      )}
      {nextCursor && (
        <button type="button" class="secondary" onClick={() => paging.next(nextCursor)}>
          {labels.next}
        </button>
      )}
    </div>
  );
}
