import type { ComponentChildren } from 'preact';

/** A column heading; `numeric` right-aligns the column like its figures. */
export type Column = string | { label: ComponentChildren; numeric?: boolean };

/** A numeric column heading. */
export const num = (label: string): Column => ({ label, numeric: true });

/**
 * The dashboard's data tables: scrollable on narrow screens, one header row, and a caption that names the
 * table for assistive technology (`hideCaption` when a visible heading already says it).
 */
export function DataTable({
  caption,
  hideCaption,
  columns,
  footer,
  children,
}: {
  caption: ComponentChildren;
  hideCaption?: boolean;
  columns: Column[];
  footer?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption class={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
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
