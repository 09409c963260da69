import { REPLICA_HEADER, ReplicaIdentity } from './replica-identity';

describe('ReplicaIdentity', () => {
  it('recognizes the records of its own process by their header, as kafkajs hands them over', () => {
    const replica = new ReplicaIdentity();
    expect(replica.isOwn({ [REPLICA_HEADER]: Buffer.from(replica.id) })).toBe(true);
  });

  it("does not take another replica's records, or records without the header, for its own", () => {
    const replica = new ReplicaIdentity();
    const other = new ReplicaIdentity();
    expect(other.id).not.toBe(replica.id);
    expect(replica.isOwn({ [REPLICA_HEADER]: Buffer.from(other.id) })).toBe(false);
    expect(replica.isOwn({})).toBe(false);
    expect(replica.isOwn(undefined)).toBe(false);
    expect(replica.isOwn({ [REPLICA_HEADER]: replica.id })).toBe(false);
  });
});
