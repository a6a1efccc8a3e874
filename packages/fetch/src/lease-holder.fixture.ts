/**
 * Test helper run as a child process: takes one slot for a host from the Redis limiter, says "held" on
 * stdout, then keeps the slot (and its heartbeat) until it is killed. argv: redisUrl prefix host leaseMs
 */
import { Redis } from 'ioredis';
import { redisHostLimiter } from './redis-limiter.js';

const [redisUrl = '', prefix = '', host = '', leaseMs = '1000'] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const limiter = redisHostLimiter(redis, {
  prefix,
  maxConcurrent: 1,
  minDelayMs: 0,
  leaseMs: Number(leaseMs),
});
await limiter.acquire(host);
process.stdout.write('held\n');
setInterval(() => {}, 60_000);
