import { browser } from 'wxt/browser';
import { ask } from './messaging';
import type { UiInfo } from './protocol';
import { setTexts } from './texts';

/**
 * For the extension's own pages (popup, player): loads the texts of the language in force before the first
 * render, and again whenever the viewer picks another language (in this page or another), then renders
 * again in place, so focus and form state stay where they were.
 */
export async function withTexts(render: (ui: UiInfo | null) => void): Promise<void> {
  const load = async () => {
    const answer = await ask({ type: 'ui' });
    if (answer.ok) {
      setTexts(answer.data.locale, answer.data.messages);
      document.documentElement.lang = answer.data.locale;
    }
    render(answer.ok ? answer.data : null);
  };
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'locale' in changes) void load();
  });
  await load();
}
