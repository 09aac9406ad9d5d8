/**
 * Runs the simulator as its own process with a realtime clock:
 *   node --import tsx test/simulator/main.ts [--port 4646] [--speed 10]
 * Prints "NOMAD_ADDR=http://127.0.0.1:PORT" as its first line; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { Simulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    speed: { type: 'string', default: '1' },
    socket: { type: 'string' },
  },
});

const simulator = await Simulator.start({
  port: Number(values.port),
  socketPath: values.socket,
  clock: { mode: 'realtime', speed: Number(values.speed) },
});
process.stdout.write(`NOMAD_ADDR=${simulator.address}\n`);
const stop = async () => {
  await simulator.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
