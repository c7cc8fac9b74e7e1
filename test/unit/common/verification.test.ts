/** Issue 19: the printed code, the URL a scanner types and the masks the public page applies. */
import { describe, expect, it } from 'vitest';
import { findVerificationUrl, groupCode, maskIin, maskName, normalizeCode, verificationUrl } from '../../../common/verification';

describe('verification codes and URLs', () => {
  it('groups a code for print and reads it back however it was typed', () => {
    expect(groupCode('E717X3ZJPJ3GRB35')).toBe('E717-X3ZJ-PJ3G-RB35');
    expect(normalizeCode('e717-x3zj-pj3g-rb35')).toBe('E717X3ZJPJ3GRB35');
    expect(normalizeCode('O1IL 0000 0000 0000')).toBe('0111000000000000');
    expect(normalizeCode('E717X3ZJPJ3GRB3')).toBeNull(); // 15 characters
    expect(normalizeCode('E717X3ZJPJ3GRB3U')).toBeNull(); // U is not in the alphabet
  });

  it('builds the QR URL and finds it in whatever a scanner typed', () => {
    const url = verificationUrl('https://tirkeu.example.kz/', 'D1-T000001', 'E717X3ZJPJ3GRB35');
    expect(url).toBe('https://tirkeu.example.kz/v/D1-T000001/E717X3ZJPJ3GRB35');
    expect(findVerificationUrl(`xx${url}`)).toEqual({ number: 'D1-T000001', code: 'E717X3ZJPJ3GRB35' });
    expect(findVerificationUrl('/v/D1-R000002/e717-x3zj-pj3g-rb35')).toEqual({ number: 'D1-R000002', code: 'E717X3ZJPJ3GRB35' });
    expect(findVerificationUrl('/v/D1-T000001/E717X3ZJPJ3GRB35X')).toBeNull();
    expect(findVerificationUrl('D1-T000001 E717X3ZJPJ3GRB35')).toBeNull();
  });

  it('masks the person as the page shows them', () => {
    expect(maskName('Қасымова Динара Маратқызы')).toBe('Қасымова Д. М.');
    expect(maskName('  ')).toBeNull();
    expect(maskIin('850301400118')).toBe('850301****18');
    expect(maskIin('123')).toBeNull();
  });
});
