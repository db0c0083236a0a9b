import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'bootstrap/dist/css/bootstrap.min.css';
import './app.css';
import { SessionProvider } from './state/session.jsx';
import App from './App.jsx';
import { pickLanguage, setLanguage } from './i18n/index.js';

setLanguage(pickLanguage(navigator.languages ?? [navigator.language]));

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
