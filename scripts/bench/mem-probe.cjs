// Preloaded into the bench's worker child (NODE_OPTIONS=--require): answers 'mem' over the IPC
// channel with the main thread's memory figures. No effect without an IPC channel.
if (typeof process.send === 'function') {
  const v8 = require('node:v8');
  process.on('message', (m) => {
    if (m !== 'mem') return;
    const h = v8.getHeapStatistics();
    process.send({ mem: process.memoryUsage(), heap: { used: h.used_heap_size, total: h.total_heap_size, limit: h.heap_size_limit } });
  });
  process.channel?.unref?.();
}
