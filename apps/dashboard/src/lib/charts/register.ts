import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only what the two charts use, so the rest of chart.js stays out of the bundle: a bar chart on a
// category axis (per episode) and a line on a linear time axis with decimation (daily earnings).
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
  Decimation,
);

export { Chart };
