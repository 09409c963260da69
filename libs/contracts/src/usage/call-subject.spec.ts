import { InvalidEventError } from '../envelope';
import { decodeCallSubject } from './call-subject';

describe('decodeCallSubject', () => {
  it('keeps the optional fields absent when they are', () => {
    expect(decodeCallSubject({ orgId: 'org-1', endpoint: 'embed', hits: 1 })).toStrictEqual({
      orgId: 'org-1',
      endpoint: 'embed',
    });
  });

  it('reads the user, the key and the model when given', () => {
    const subject = { orgId: 'org-1', endpoint: 'generate', userId: 'u_2', keyId: 'key_9', model: 'small' };
    expect(decodeCallSubject({ ...subject })).toStrictEqual(subject);
  });

  it('reads a model of printable Unicode, as ingest and the decision API accept it', () => {
    expect(decodeCallSubject({ orgId: 'o', endpoint: 'embed', model: 'llama-3.1 🦙' }).model).toBe(
      'llama-3.1 🦙',
    );
  });

  it.each([
    ['an orgId with a space', { orgId: 'my org', endpoint: 'embed' }],
    ['a userId with a slash', { orgId: 'org', userId: 'a/b', endpoint: 'embed' }],
    ['no endpoint', { orgId: 'org' }],
    ['a model of 65 characters', { orgId: 'org', endpoint: 'embed', model: 'm'.repeat(65) }],
    ['an empty model', { orgId: 'org', endpoint: 'embed', model: '' }],
    ['a blank model', { orgId: 'org', endpoint: 'embed', model: ' ' }],
    ['a model with U+0000', { orgId: 'org', endpoint: 'embed', model: 'a\u0000' }],
    ['a model with a lone surrogate', { orgId: 'org', endpoint: 'embed', model: '\ud800' }],
    ['a blank endpoint', { orgId: 'org', endpoint: ' ' }],
    ['a keyId with a dot', { orgId: 'org', endpoint: 'embed', keyId: 'k.1' }],
  ])('refuses %s', (_name, payload) => {
    expect(() => decodeCallSubject(payload)).toThrow(InvalidEventError);
  });
});
