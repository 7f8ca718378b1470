import { EventEmitter } from "node:events";
import type { ReactNode } from "react";
import { render } from "ink";

/**
 * An ink app drawn onto a terminal that holds only its latest frame, as a real one does. ink-testing-library keeps
 * every frame it was sent (and in debug mode each frame repeats all the <Static> output before it), so a bench
 * that streams thousands of frames through it measures the harness's memory, not the wizard's.
 */
export function renderInMemoryTerminal(tree: ReactNode, size = { columns: 100, rows: 40 }) {
  let last = "";
  let writes = 0;
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: size.columns,
    rows: size.rows,
    write: (frame: string) => {
      last = frame;
      writes++;
      return true;
    },
  });
  const stderr = Object.assign(new EventEmitter(), { write: () => true });
  let pending: string | null = null;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setEncoding: () => undefined,
    setRawMode: () => undefined,
    resume: () => undefined,
    pause: () => undefined,
    ref: () => undefined,
    unref: () => undefined,
    read: () => {
      const data = pending;
      pending = null;
      return data;
    },
    write: (data: string) => {
      pending = data;
      stdin.emit("readable");
      stdin.emit("data", data);
    },
  });
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true, // every change drawn at once, as in the tests: the key-to-frame time is ink's and ours, not a throttle's
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { stdin, lastFrame: () => last, writes: () => writes, unmount: () => instance.unmount() };
}
