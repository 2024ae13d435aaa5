import { render, screen } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cell, DataTable } from '../src/components/DataTable.js';

// Vitest runs in apps/dashboard.
const css = readFileSync(`${process.cwd()}/src/styles.css`, 'utf8');
/** The rules inside the phone-width media blocks. */
const phone = [...css.matchAll(/@media \(max-width: 40rem\) \{([\s\S]*?)\n\}/g)].map((m) => m[1]).join('\n');

describe('tables on a phone', () => {
  it('a wide table scrolls in its own box, which is a named region keyboard users can focus', () => {
    render(
      <DataTable caption="Per episode" columns={['Episode', 'Sales']}>
        <tr>
          <th scope="row">One</th>
          <td>1</td>
        </tr>
      </DataTable>,
    );
    const region = screen.getByRole('region', { name: 'Per episode' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.classList.contains('table-scroll')).toBe(true);
    // Hidden labels inside it (position: absolute) are held by the box, not the page.
    expect(css).toMatch(/\.table-scroll \{[^}]*position: relative;/);
  });

  it('a stacked table labels each cell with its column, so a row reads as lines with its actions in reach', () => {
    render(
      <DataTable caption="Creators" hideCaption stacked columns={['Handle', 'Email', 'Actions']}>
        <tr>
          <th scope="row">@night</th>
          <td {...cell('Email')}>night@example.test</td>
          <td class="row-actions">
            <button type="button">Approve</button>
          </td>
        </tr>
      </DataTable>,
    );
    const table = screen.getByRole('table', { name: 'Creators' });
    expect(table.classList.contains('stacked')).toBe(true);
    expect(screen.getByText('night@example.test').getAttribute('data-label')).toBe('Email');
    expect(phone).toMatch(/\.data-table\.stacked td\[data-label\]::before \{\s*content: attr\(data-label\);/);
    expect(phone).toMatch(/\.data-table\.stacked tr,/);
  });

  it('the main navigation wraps on a phone instead of scrolling links out of sight', () => {
    expect(phone).toMatch(/\.topbar nav \{[^}]*flex-wrap: wrap;/);
    expect(phone).not.toMatch(/\.topbar nav \{[^}]*overflow-x: auto;/);
  });

  it('visually hidden text cannot widen the page', () => {
    expect(css).toMatch(/\.visually-hidden \{[^}]*clip-path: inset\(50%\);[^}]*\}/);
    expect(css).toMatch(/\.visually-hidden \{[^}]*margin: -1px;/);
  });
});
