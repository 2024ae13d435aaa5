import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/** A column heading; `numeric` right-aligns the column like its figures. */
export type Column = string | { label: ComponentChildren; numeric?: boolean };

/** A numeric column heading. */
export const num = (label: string): Column => ({ label, numeric: true });

/**
 * The dashboard's data tables: one header row, and a caption that names the table for assistive technology
 * (`hideCaption` when a visible heading already says it). On a narrow screen a wide table scrolls inside its own
 * box, never the page; a `stacked` one shows each row as a block of "label: value" lines instead (its cells carry
 * `data-label`, see {@link cell}), so actions at the end of a row stay on screen.
 */
export function DataTable({
  caption,
  hideCaption,
  columns,
  footer,
  stacked,
  children,
}: {
  caption: ComponentChildren;
  hideCaption?: boolean;
  stacked?: boolean;
  columns: Column[];
  footer?: ComponentChildren;
  children: ComponentChildren;
}) {
  const captionId = useId();
  return (
    // A table wider than the screen scrolls in this box, which keyboard users can focus to scroll it too.
    <div class="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table class={`data-table${stacked ? ' stacked' : ''}`}>
        <caption id={captionId} class={hideCaption ? 'visually-hidden' : undefined}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label, numeric } = typeof column === 'string' ? { label: column, numeric: false } : column;
              return (
                <th key={i} scope="col" class={numeric ? 'num' : undefined}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </div>
  );
}

/** The attributes of a stacked table's cell: its column's label, shown beside the value on a narrow screen. */
export const cell = (label: string) => ({ 'data-label': label });
