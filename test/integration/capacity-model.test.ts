import { formatPlan, planCapacity, sqsCallsPerNotification, type CapacityAssumptions, type MeasuredChannel } from '../../bench/capacity';

// The arithmetic of `npm run bench -- --capacity N` (bench/capacity.ts), on figures of the size docs/performance.md records.
const assumptions: CapacityAssumptions = {
  eventsPerSecond: 10_000,
  utilisation: 0.6,
  taskVcpu: 1,
  dbMaxVcpu: 64,
  idsPerMessage: 10,
  messagesPerReceive: 10,
  fcmPerSecond: 10_000,
  sesPerSecond: null,
};
const push: MeasuredChannel = {
  channel: 'push',
  delivered: 5000,
  cpuMs: { 'herald api': 0.06, 'herald relay': 0.036, 'herald worker:email': 0.012, 'herald worker:push': 0.362, 'herald scheduler': 0.008, PostgreSQL: 0.336 },
  commits: 0.2,
  walBytes: 1500,
};

describe('capacity model', () => {
  it('turns CPU per notification into tasks per role at the planned utilisation', () => {
    const plan = planCapacity(push, assumptions);
    const tasks = Object.fromEntries(plan.roles.map((r) => [r.role, r.tasks]));
    // worker: 10,000/s x 0.362 ms = 3.62 vCPU busy, / 0.6 = 6.03 -> 7 one-vCPU tasks; api 0.6 / 0.6 = 1.
    expect(tasks).toEqual({ api: 1, relay: 1, 'worker:push': 7, scheduler: 1 });
    expect(plan.roles.find((r) => r.role === 'worker:push')!.vcpu).toBeCloseTo(3.62, 5);
    // The idle email worker's CPU is not scaled with push notifications.
    expect(plan.roles.some((r) => r.role === 'worker:email')).toBe(false);
    expect(plan.dbVcpu).toBeCloseTo(3.36 / 0.6, 5);
  });

  it('counts SQS calls per notification from the packing', () => {
    const packed = sqsCallsPerNotification(10, 10);
    expect([packed.send, packed.receive, packed.delete]).toEqual([0.01, 0.01, 0.01]);
    expect(packed.total).toBeCloseTo(0.03, 10);
    // One id a message, one message a receive: a receive and a delete each, and a tenth of a SendMessageBatch.
    expect(sqsCallsPerNotification(1, 1).total).toBeCloseTo(2.1, 10);
  });

  it('names the first limit: the FCM quota at 10,000 pushes/s, the database writer well above it', () => {
    const plan = planCapacity(push, assumptions);
    expect(plan.first?.name).toBe('FCM HTTP v1, per project');
    const db = plan.limits.find((l) => l.name.startsWith('PostgreSQL, one writer'))!;
    expect(db.eventsAtCeiling).toBeCloseTo((64 * 0.6 * 1000) / 0.336, 3);
    expect(plan.limits.find((l) => l.name === 'PostgreSQL WAL')!.need).toBeCloseTo((10_000 * 1500) / 2 ** 20, 5);
    expect(formatPlan(plan, assumptions)).toContain('First limit: FCM HTTP v1, per project, at 10,000 events/s (not above');
  });

  it('has no SES ceiling unless the account rate is given, and the database becomes first when it is high', () => {
    const email: MeasuredChannel = { ...push, channel: 'email', cpuMs: { 'herald worker:email': 0.6, PostgreSQL: 0.4 } };
    expect(planCapacity(email, assumptions).first?.name).toBe('PostgreSQL, one writer (CPU)');
    const capped = planCapacity(email, { ...assumptions, sesPerSecond: 500 });
    expect(capped.first?.name).toBe('SES sending rate, per account and region');
    expect(capped.roles.map((r) => r.role)).toEqual(['api', 'relay', 'worker:email', 'scheduler']);
  });
});
