import { watchNavigation } from '../../lib/navigation';
import { PageController } from './controller';
import { OverlayHost } from './host';
import css from './style.css?inline';

export default defineContentScript({
  matches: ['https://www.tiktok.com/*'],
  runAt: 'document_end',
  async main(ctx) {
    const controller = new PageController(await OverlayHost.create(ctx, css));
    controller.go(location.href);
    const stop = watchNavigation((href) => controller.go(href));
    ctx.onInvalidated(stop);
  },
});
