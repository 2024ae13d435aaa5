// Time for the dashboard's per-episode chart (80 episodes) and daily chart (365 points) to draw, in Chromium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './lib.mjs';

export async function benchCharts({ runs = 9 } = {}) {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'series-charts-'));
  const entry = new URL('./chart-render.entry.ts', import.meta.url).pathname;
  execFileSync('esbuild', [entry, '--bundle', '--format=iife', '--minify', `--outfile=${join(dir, 'charts.js')}`], {
    stdio: 'inherit',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script src="charts.js"></script></body></html>');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${join(dir, 'index.html')}`);
    await page.evaluate(() => window.renderCharts()); // warm-up: first use compiles chart.js code paths
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await page.evaluate(() => window.renderCharts()));
    return { ms: median(times), runs };
  } finally {
    await browser.close();
  }
}
