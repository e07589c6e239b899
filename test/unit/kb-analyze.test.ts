import { describe, expect, it } from 'vitest';
import { analyze, analyzeQuery, RELATED_WEIGHT, tokenize } from '#shared/kb/analyze';

describe('Module: kb/analyze', () => {
  describe('Function: analyze', () => {
    // Spellings a requester might use → they must meet the article's words on the same terms.
    const same: [string, string][] = [
      ["can't print", 'cant print'],
      ['Can’t print', 'cant print'],
      ['pw', 'password'],
      ['PWD', 'Passwords'],
      ['wifi', 'Wi-Fi'],
      ['wi fi', 'WiFi'],
      ['WLAN', 'wifi'],
      ['2FA', 'MFA'],
      ['multi-factor authentication', 'mfa'],
      ['two factor', 'MFA'],
      ['log in', 'login'],
      ['sign-in', 'logging in'],
      ['signed on', 'login'],
      ['locked out', 'lockout'],
      ['o365', 'Office 365'],
      ['Microsoft 365', 'M365'],
      ['one drive', 'OneDrive'],
      ['e-mail', 'email'],
      ['emails', 'mail'],
      ['licence', 'license'],
      ['licences', 'licensing'],
      ['laptop', 'PC'],
      ['iPhone', 'phone'],
      ['mic', 'microphone'],
      ['webcam', 'camera'],
      ['headphones', 'headset'],
      ['printers', 'printer'],
      ['printing', 'print'],
      ['disconnected', 'disconnecting'],
      ['working from home', 'remote'],
      ['C: drive', 'hard disk'],
      ['new starter', 'new hire'],
      ['docking station', 'dock'],
      ['resigned', 'leaver'],
      ['organisation', 'organization'],
      ['Café', 'cafe'],
    ];
    it.each(same)('"%s" ≈ "%s"', (a, b) => {
      expect(analyze(a)).toEqual(analyze(b));
      expect(analyze(a)).not.toEqual([]);
    });

    it('drops stop words and help-request chatter', () => {
      expect(analyze('Hi, please help: it is not working, thanks!')).toEqual([]);
      expect(analyze('my printer is not working')).toEqual(analyze('printer'));
    });

    it('keeps codes and numbers as they are', () => {
      expect(analyze('error caa20002 0x8024 3rd')).toEqual(['error', 'caa20002', '0x8024', '3rd']);
    });

    it('drops single characters', () => {
      expect(analyze('S drive')).toEqual(analyze('drive'));
    });
  });

  describe('Function: tokenize', () => {
    it('yields the parts of a hyphenated word and the parts joined', () => {
      expect(tokenize('usb-c dock')).toEqual(['usb', 'c', 'usbc', 'dock']);
    });

    it('splits on punctuation, HTML and paths', () => {
      expect(tokenize('<b>S:\\Finance</b> (budget) "2026"')).toEqual([
        'b',
        's',
        'finance',
        'b',
        'budget',
        '2026',
      ]);
    });
  });

  describe('Function: analyzeQuery', () => {
    it('weighs typed terms fully and related terms less, keeping the highest weight', () => {
      // Act
      const terms = analyzeQuery('outlook chrome', 2);

      // Assess: outlook → email, chrome → browser
      expect(terms.get(analyze('outlook')[0] as string)).toBe(2);
      expect(terms.get(analyze('email')[0] as string)).toBe(2 * RELATED_WEIGHT);
      expect(terms.get(analyze('browser')[0] as string)).toBe(2 * RELATED_WEIGHT);

      // Act: the related term typed as well
      analyzeQuery('email', 1, terms);

      // Assess
      expect(terms.get(analyze('email')[0] as string)).toBe(1);
    });

    it('merges duplicates', () => {
      expect([...analyzeQuery('printer printers printer').keys()]).toEqual(analyze('printer'));
    });
  });
});
