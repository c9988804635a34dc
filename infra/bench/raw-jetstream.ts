/**
 * Raw limit: JetStream publishes with acks to a file-backed stream on a throwaway nats-server, with
 * many publishes in flight, and the same one ack at a time (the naive forwarder's ceiling).
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNats } from '../services/index.js';
import { elapsedMs, type Benchmark } from './stats.js';

const MESSAGES = 200_000;
const SEQUENTIAL = 10_000;
const IN_FLIGHT = 1_000;
const PAYLOAD_BYTES = 400; // about one meter-sample envelope

export const rawJetStream: Benchmark = {
  name: 'raw-jetstream',
  description: `JetStream publish with ack, file storage, ${PAYLOAD_BYTES}-byte messages, msg ids for dedupe`,
  async run(progress) {
    const nats = await startNats();
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'], duplicate_window: 120_000_000_000 });
      const js = jetstream(nc);
      const payload = new Uint8Array(PAYLOAD_BYTES).fill(120);

      progress(`${SEQUENTIAL} publishes, one ack at a time`);
      let start = process.hrtime.bigint();
      for (let i = 0; i < SEQUENTIAL; i++) await js.publish('bench.seq', payload, { msgID: `s${i}` });
      const sequentialRate = SEQUENTIAL / (elapsedMs(start) / 1000);

      progress(`${MESSAGES} publishes, ${IN_FLIGHT} in flight`);
      start = process.hrtime.bigint();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < MESSAGES) {
            const i = next++;
            await js.publish(`bench.par.${i % 500}`, payload, { msgID: `p${i}` });
          }
        }),
      );
      const parallelRate = MESSAGES / (elapsedMs(start) / 1000);
      return [
        { metric: `publish rate, ${IN_FLIGHT} in flight`, value: parallelRate, unit: 'msg/s' },
        { metric: 'publish rate, one ack at a time', value: sequentialRate, unit: 'msg/s' },
      ];
    } finally {
      await nc.close();
      await nats.dispose();
    }
  },
};
