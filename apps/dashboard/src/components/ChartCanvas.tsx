import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { Chart } from '../lib/charts/register.js';

/**
 * A chart.js chart that follows its container's size (the container sets the height). It is rebuilt when
 * `config` changes, so callers memoize the config on their data. The canvas is an image for assistive
 * technology: the numbers are in the table next to it.
 */
export function ChartCanvas({ config, label, tall }: { config: ChartConfiguration; label: string; tall?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // No 2D context (a test DOM, a locked-down browser): the table beside the chart still has the numbers.
    if (!canvas.current?.getContext('2d')) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class={tall ? 'chart-box tall' : 'chart-box'}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
