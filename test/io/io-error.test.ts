import { describe, expect, it } from 'vitest';
import { ioError, ioFailureReason } from '../../src/io/io-error.ts';

const errno = (code: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: raw message, open '${path}'`), { code, path });

describe('ioError', () => {
  it.each([
    ['EROFS', /file system holding `\/s` is read-only; use a writable directory \(EROFS\)/],
    ['EACCES', /permission denied on `\/s`; give this user write access or use another directory \(EACCES\)/],
    ['EISDIR', /`\/s` is a directory where a file belongs; move it aside \(EISDIR\)/],
    ['ENOTDIR', /a part of `\/s` is a file where a directory belongs/],
    ['EEXIST', /`\/s` exists and is not a directory/],
    ['ENOSPC', /disk holding `\/s` is full/],
  ])('says what %s means for the path, with the errno in details', (code, reason) => {
    const cause = errno(code, '/s/x');
    const error = ioError('the store `/s` to open', '/s', cause);
    expect(error.code).toBe('ERR_IO');
    expect(error.message).toMatch(/^\[vitest-stress\] Expected the store `\/s` to open, but /);
    expect(error.message).toMatch(reason);
    expect(error.details).toEqual({ path: '/s', errno: code });
    expect(error.cause).toBe(cause);
  });

  it('falls back to the raw message for an errno it does not know, or a non-error', () => {
    expect(ioFailureReason('/s', errno('EWEIRD', '/s'))).toBe("EWEIRD: raw message, open '/s'");
    expect(ioFailureReason('/s', 'plain')).toBe('plain');
    expect(ioError('x', '/s', 'plain').details).toEqual({ path: '/s', errno: undefined });
  });
});
