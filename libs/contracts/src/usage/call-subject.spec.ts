import { InvalidEventError } from '../envelope';
import { decodeCallSubject } from './call-subject';

describe('decodeCallSubject', () => {
  it('keeps the optional fields absent when they are', () => {
    expect(decodeCallSubject({ orgId: 'org-1', endpoint: 'embed', hits: 1 })).toStrictEqual({
      orgId: 'org-1',
      endpoint: 'embed',
    });
  });

  it('reads the user and the model when given', () => {
    expect(
      decodeCallSubject({ orgId: 'org-1', endpoint: 'generate', userId: 'u_2', model: 'small' }),
    ).toStrictEqual({ orgId: 'org-1', endpoint: 'generate', userId: 'u_2', model: 'small' });
  });

  it.each([
    ['an orgId with a space', { orgId: 'my org', endpoint: 'embed' }],
    ['a userId with a slash', { orgId: 'org', userId: 'a/b', endpoint: 'embed' }],
    ['no endpoint', { orgId: 'org' }],
    ['a model of 65 characters', { orgId: 'org', endpoint: 'embed', model: 'm'.repeat(65) }],
  ])('refuses %s', (_name, payload) => {
    expect(() => decodeCallSubject(payload)).toThrow(InvalidEventError);
  });
});
