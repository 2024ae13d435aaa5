import { render } from 'preact';
import '../../lib/ui.css';
import './style.css';
import { withTexts } from '../../lib/page-texts';
import { App } from './App';

void withTexts((ui) => render(<App ui={ui} />, document.getElementById('app')!));
