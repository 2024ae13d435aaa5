import type { SitePage } from '../../lib/protocol';
import { render, type VNode } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { findAnchor } from '../../lib/anchors';

/**
 * The one overlay element on the page, in a closed shadow root (the site's styles cannot reach in, ours cannot
 * leak out, the site's scripts cannot read what it shows) whose keyboard events stop at its boundary, so typing
 * or pressing keys in it never triggers the site's shortcuts.
 *
 * It sits after the page's anchor element, or floats in a corner when there is none, and moves whenever the
 * site re-renders: {@link OverlayHost.check} runs on every DOM mutation.
 */
export class OverlayHost {
  private page: SitePage | null = null;
  private content: VNode | null = null;
  private anchor: Element | null = null;
  private mounted = false;

  private constructor(private readonly ui: Awaited<ReturnType<typeof createShadowRootUi<void>>>) {}

  static async create(ctx: ContentScriptContext, css: string): Promise<OverlayHost> {
    let self: OverlayHost | null = null;
    const ui = await createShadowRootUi<void>(ctx, {
      name: 'series-overlay',
      mode: 'closed',
      isolateEvents: true,
      inheritStyles: true,
      css,
      position: 'inline',
      anchor: () => self?.anchor ?? document.body,
      append: (target, host) => (self?.anchor ? target.after(host) : target.append(host)),
      onMount: (container, _shadow, host) => {
        host.classList.toggle('floating', !self?.anchor);
        render(self?.content ?? null, container);
      },
      onRemove: () => render(null, ui.uiContainer),
    });
    self = new OverlayHost(ui);
    const observer = new MutationObserver(() => self?.check());
    // Also attribute changes: a re-render may keep an element and drop the data-e2e it was found by.
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-e2e'] });
    ctx.onInvalidated(() => observer.disconnect());
    return self;
  }

  /** Shows `content` for `page`, replacing whatever was shown. */
  show(page: SitePage, content: VNode): void {
    this.page = page;
    this.content = content;
    this.place();
  }

  /** Removes the overlay at once (e.g. the moment the page changes, so no old data lingers). */
  clear(): void {
    this.page = null;
    this.content = null;
    if (this.mounted) this.ui.remove();
    this.mounted = false;
    this.anchor = null;
  }

  /** Re-anchors after the site changed its DOM: the anchor was replaced, appeared, or our element was removed. */
  check(): void {
    if (!this.page) return;
    if (!this.mounted || !this.ui.shadowHost.isConnected || findAnchor(this.page) !== this.anchor) this.place();
  }

  private place(): void {
    if (!this.page) return;
    const anchor = findAnchor(this.page);
    if (this.mounted && this.ui.shadowHost.isConnected && anchor === this.anchor) {
      render(this.content, this.ui.uiContainer);
      return;
    }
    if (this.mounted) this.ui.remove();
    this.anchor = anchor;
    this.ui.mount();
    this.mounted = true;
  }
}
