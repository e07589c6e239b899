import EmailReplyParser from 'email-reply-parser';
import type { ParsedMail } from './parse.ts';

/**
 * What a reply adds to a ticket: the new text without the quoted history and the signature. The
 * ticket already holds the history; repeating it in every comment buries the conversation.
 *
 * Two passes, because quoted history comes in two shapes:
 * 1. *Unmarked* history below a header, the way Outlook (`-----Original Message-----`, or a
 *    `From:/Sent:/To:/Subject:` block under a rule) and mobile clients top-post: nothing marks the
 *    old lines, so everything from the header down is cut here, line by line.
 * 2. *Marked* history (`> ` lines after `On … wrote:` / `Am … schrieb …:`, as Gmail, Apple Mail
 *    and Thunderbird write, and as an HTML `<blockquote>` renders to text) and signatures
 *    (`-- `, "Sent from my iPhone", "Best regards,"): email-reply-parser, which also keeps
 *    answers written *between* quoted lines.
 *
 * Forwarded messages (`---------- Forwarded message ---------`) are not history: what someone
 * forwards to a ticket is the information they are adding, so it stays.
 */

export interface ReplyText {
  /** The new text only; may be empty (a reply that only attaches a file). */
  text: string;
  /** Everything, for "show quoted text" and for new tickets. */
  full: string;
  /** Whether anything was removed. */
  stripped: boolean;
}

/**
 * email-reply-parser runs its regular expressions over the whole text; without the optional RE2
 * engine some are quadratic in the worst case (90 000 crafted characters took 1.7 s, 32 000 take
 * about 0.2 s). Longer texts, rare for what a person types above the history, get only the
 * line-by-line first pass.
 */
export const MAX_REPLY_PARSER_CHARS = 32_000;

const ORIGINAL_MESSAGE =
  /^\s*[-_=*]{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|oprindelig meddelelse|opprinnelig melding|originalmeddelande|alkuperäinen viesti|wiadomość oryginalna|исходное сообщение)\s*[-_=*]{2,}\s*$/iu;
/**
 * Where a forwarded message starts (Gmail, Thunderbird, Apple Mail; English, German, French,
 * Spanish). Below it nothing is history, even when it looks like a header block.
 */
const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht)\s*-{2,}|begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message réexpédié\s?:|inicio del mensaje reenviado:)\s*$/iu;
/** Outlook draws a rule of underscores above the header block of the quoted mail. */
const RULE = /^\s*_{10,}\s*$/;
const HEADER_FROM =
  /^\s*\**\s*(?:from|von|de|da|van|från|fra|od|от|差出人|发件人|寄件者)\s*\**\s*[:：]\s*\**\s*\S/iu;
const HEADER_SENT =
  /^\s*\**\s*(?:sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|verzonden|skickat|sendt|lähetetty|wysłano|отправлено|送信日時|发送时间|日期)\s*\**\s*[:：]/iu;
const HEADER_OTHER =
  /^\s*\**\s*(?:to|an|à|a|para|aan|till|til|vastaanottaja|do|кому|宛先|收件人|cc|subject|betreff|objet|asunto|oggetto|onderwerp|ämne|emne|aihe|temat|тема|件名|主题)\s*\**\s*[:：]/iu;
/**
 * Attribution lines: Gmail/Apple/Thunderbird in English, German, French, Spanish, Dutch, Italian,
 * Portuguese, and the older "Name <address> wrote:". Each is bounded (`.{1,300}`) so a long line
 * cannot make the match expensive.
 */
const ATTRIBUTION = [
  /^\s*on\b.{1,300}\bwrote\s*:\s*$/i,
  /^\s*am\b.{1,300}\bschrieb\b.{0,300}:\s*$/iu,
  /^\s*le\b.{1,300}\ba écrit\s*:\s*$/iu,
  /^\s*el\b.{1,300}\bescribió\s*:\s*$/iu,
  /^\s*op\b.{1,300}\bschreef\b.{0,300}:\s*$/iu,
  /^\s*il\b.{1,300}\bha scritto\s*:\s*$/iu,
  /^\s*em\b.{1,300}\bescreveu\s*:\s*$/iu,
  /^.{1,300}<[^<>\s]+@[^<>\s]+>\s*(?:wrote|schrieb|a écrit)\s*:\s*$/iu,
];

const isQuoted = (line: string): boolean => /^\s*>/.test(line);
const isBlank = (line: string): boolean => line.trim() === '';

/** Lines of an Outlook header block starting at `index`: From, then Sent/Date and To/Subject within five lines. */
const isHeaderBlock = (lines: readonly string[], index: number): boolean => {
  if (!HEADER_FROM.test(lines[index] ?? '')) return false;
  const following = lines.slice(index + 1, index + 6);
  return (
    following.some((line) => HEADER_SENT.test(line)) && following.some((line) => HEADER_OTHER.test(line))
  );
};

/** An attribution on this line, or wrapped onto the next one (Gmail wraps long ones). */
const isAttribution = (lines: readonly string[], index: number): boolean => {
  const line = lines[index] ?? '';
  if (line.length > 600) return false;
  const joined = `${line} ${lines[index + 1] ?? ''}`;
  return ATTRIBUTION.some(
    (pattern) => pattern.test(line) || (!isBlank(lines[index + 1] ?? '') && pattern.test(joined)),
  );
};

/**
 * Quoted lines after an attribution, with new text after some of them: an interleaved or
 * bottom-posted reply. Cutting at the attribution would lose those answers.
 */
const answersBelow = (lines: readonly string[], from: number): boolean => {
  let quotedSeen = false;
  for (let index = from; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (isQuoted(line)) quotedSeen = true;
    else if (quotedSeen && !isBlank(line)) return true;
  }
  return false;
};

/** Where unmarked (or wholly quoted) history starts, or -1. */
const historyStart = (lines: readonly string[]): number => {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (FORWARD_MARKER.test(line)) return -1;
    if (ORIGINAL_MESSAGE.test(line)) return index;
    if (isHeaderBlock(lines, index)) {
      let start = index;
      let above = index - 1;
      while (above >= 0 && isBlank(lines[above] ?? '')) above--;
      if (above >= 0 && RULE.test(lines[above] ?? '')) start = above;
      return start;
    }
    // An interleaved reply is left whole here; the reply parser removes its quoted lines.
    if (isAttribution(lines, index) && !answersBelow(lines, index + 1)) return index;
  }
  return -1;
};

const parser = new EmailReplyParser();

export const stripQuoted = (text: string): ReplyText => {
  const full = text.replace(/\r\n?/g, '\n').trim();
  const lines = full.split('\n');
  const start = historyStart(lines);
  const cut = (start < 0 ? full : lines.slice(0, start).join('\n')).trim();
  const visible = cut.length > MAX_REPLY_PARSER_CHARS ? cut : parser.read(cut).getVisibleText().trim();
  // A reply that is nothing but a sign-off ("Thanks,\nJane") would come out empty; the sign-off
  // is then the message.
  const reply = visible || cut;
  return { text: reply, full, stripped: reply !== full };
};

/** The reply text of a mail: its plain text, or the plain rendering of its HTML when it has only HTML. */
export const replyOf = (mail: ParsedMail): ReplyText => stripQuoted(mail.text);
