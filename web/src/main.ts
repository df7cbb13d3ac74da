// The workbench's entry point: login, then the application shell.
import './styles.css';
import { currentSession, onSessionExpired } from './api';
import { startShell } from './shell';
import { loginPage, reloginDialog } from './views/login';

const root = document.getElementById('app');
if (!root) throw new Error('no #app element');

onSessionExpired(() => reloginDialog(currentSession()?.user ?? ''));

root.replaceChildren(
  loginPage(() => {
    startShell(root);
  }),
);
