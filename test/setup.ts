// Plain console: jest's decorated console would add stack locations to anything oclif logs.
import console from 'node:console';
globalThis.console = console;
