/** Worker thread of the bench's simulation pool (sim-tasks.ts): runs each task it is sent, replies with its result. */
import { parentPort } from 'node:worker_threads';
import { runSimTask, type SimTask } from './sim-tasks.js';

const port = parentPort;
if (port !== null) {
  port.on('message', (task: SimTask) => {
    void runSimTask(task).then((r) => port.postMessage(r));
  });
}
