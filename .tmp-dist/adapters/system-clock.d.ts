/** The wall clock as the control loop's clock (the simulator uses a virtual one). */
import type { LoopClock } from '../control/interfaces.js';
export declare const systemLoopClock: LoopClock;
