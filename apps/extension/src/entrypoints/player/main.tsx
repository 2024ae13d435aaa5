import { render } from 'preact';
import '../../lib/ui.css';
import './style.css';
import { withTexts } from '../../lib/page-texts';
import { App } from './App';

const query = new URLSearchParams(location.search);
void withTexts(() =>
  render(
    <App seriesId={query.get('series') ?? ''} initialEpisodeId={query.get('episode')} />,
    document.getElementById('app')!,
  ),
);
