import { render, type VNode } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { timed } from '../../lib/perf';

/** What a floating panel must not sit on: the site's own controls. */
const SITE_CONTROLS =
  'a[href], button, input, select, textarea, video, [role="button"], [role="slider"], [role="link"], [tabindex]:not([tabindex="-1"])';
/** Where a floating panel may go, best first. */
const CORNERS = [[], ['at-left'], ['at-top'], ['at-top', 'at-left']] as const;

/**
 * The one overlay element on the page, in a closed shadow root (the site's styles cannot reach in, ours cannot
 * leak out, the site's scripts cannot read what it shows) whose keyboard events stop at its boundary, so typing
 * or pressing keys in it never triggers the site's shortcuts.
 *
 * It sits after the element `locate` finds (the page's anchor, or one inside the feed item in view), or floats
 * in a corner that covers none of the site's controls when there is none, and moves whenever the site
 * re-renders: {@link OverlayHost.check} runs on every DOM mutation. Focus inside it survives re-renders.
 */
export class OverlayHost {
  private locate: (() => Element | null) | null = null;
  private content: VNode | null = null;
  private anchor: Element | null = null;
  private mounted = false;
  private shadow: ShadowRoot | null = null;

  private constructor(private readonly ui: Awaited<ReturnType<typeof createShadowRootUi<void>>>) {}

  static async create(ctx: ContentScriptContext, css: string): Promise<OverlayHost> {
    let self: OverlayHost | null = null;
    const ui = await createShadowRootUi<void>(ctx, {
      name: 'series-overlay',
      mode: 'closed',
      // Keys never reach the site's shortcuts, and presses on our buttons never reach the feed item's own click
      // handlers (pausing the video, opening it).
      isolateEvents: [
        'keydown',
        'keyup',
        'keypress',
        'click',
        'dblclick',
        'pointerdown',
        'pointerup',
        'mousedown',
        'mouseup',
        'touchstart',
        'touchend',
      ],
      inheritStyles: true,
      css,
      position: 'inline',
      anchor: () => self?.anchor ?? document.body,
      append: (target, host) => (self?.anchor ? target.after(host) : target.append(host)),
      onMount: (container, shadow, host) => {
        if (self) self.shadow = shadow;
        host.classList.toggle('floating', !self?.anchor);
        render(self?.content ?? null, container);
      },
      onRemove: () => render(null, ui.uiContainer),
    });
    self = new OverlayHost(ui);
    const observer = new MutationObserver(timed('overlay: re-anchor', () => self?.check()));
    // Also attribute changes: a re-render may keep an element and drop the data-e2e it was found by.
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-e2e'],
    });
    ctx.onInvalidated(() => observer.disconnect());
    return self;
  }

  /** Shows `content` after the element `locate` finds (floating without one), replacing whatever was shown. */
  show(locate: () => Element | null, content: VNode): void {
    this.locate = locate;
    this.content = content;
    this.place();
  }

  /** Removes the overlay at once (e.g. the moment the page or the feed item changes, so no old data lingers). */
  clear(): void {
    this.locate = null;
    this.content = null;
    if (this.mounted) this.ui.remove();
    this.mounted = false;
    this.anchor = null;
  }

  /** Re-anchors after the site changed its DOM: the anchor was replaced, appeared, or our element was removed. */
  check(): void {
    if (!this.locate) return;
    if (!this.mounted || !this.ui.shadowHost.isConnected || this.locate() !== this.anchor) this.place();
  }

  private focusedRole(): string | null | undefined {
    const focused = this.shadow?.activeElement as HTMLElement | null | undefined;
    return focused ? (focused.dataset.role ?? null) : undefined;
  }

  /** After a change took the focused control away, focus its successor (same role, else the first control). */
  private restoreFocus(role: string | null | undefined): void {
    if (role === undefined || !this.shadow || this.shadow.activeElement) return;
    const next =
      (role ? this.shadow.querySelector<HTMLElement>(`[data-role="${role}"]`) : null) ??
      this.shadow.querySelector<HTMLElement>('button:not([disabled]), a[href]');
    next?.focus({ preventScroll: true });
  }

  private place(): void {
    if (!this.locate) return;
    const anchor = this.locate();
    const role = this.focusedRole();
    if (this.mounted && this.ui.shadowHost.isConnected && anchor === this.anchor) {
      render(this.content, this.ui.uiContainer);
      return this.restoreFocus(role);
    }
    if (this.mounted) this.ui.remove();
    this.anchor = anchor;
    this.ui.mount();
    this.mounted = true;
    if (!anchor) this.avoidControls();
    this.restoreFocus(role);
  }

  /** Moves a floating panel to the first corner where it covers none of the site's controls. */
  private avoidControls(): void {
    const host = this.ui.shadowHost;
    for (const corner of CORNERS) {
      host.classList.remove('at-left', 'at-top');
      host.classList.add(...corner);
      if (!this.coversControls(host)) return;
    }
    host.classList.remove('at-left', 'at-top');
  }

  private coversControls(host: HTMLElement): boolean {
    const r = host.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const points: [number, number][] = [];
    for (const fx of [0.05, 0.5, 0.95])
      for (const fy of [0.1, 0.5, 0.9]) points.push([r.left + r.width * fx, r.top + r.height * fy]);
    return points.some(([x, y]) =>
      document.elementsFromPoint(x, y).some((el) => el !== host && !host.contains(el) && !!el.closest(SITE_CONTROLS)),
    );
  }
}
