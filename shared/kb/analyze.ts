import { stemmer } from 'stemmer';

/**
 * Text analysis for knowledge-base search: one pipeline turns both article text and a
 * requester's query into index terms, so "Can't sign in after changing my pw" and an article
 * saying "sign-in fails after a password change" meet on the same terms.
 *
 *   text → normalize (case, accents, apostrophes) → phrases (multi-word synonyms become one
 *   token) → words → per word: stop words dropped, synonyms mapped to a canonical term, Porter stem
 *
 * The tables below are the desk's vocabulary: abbreviations and spellings requesters use for
 * the things articles describe. They are symmetric (applied to articles and queries alike), so a
 * change to them needs the index rebuilt: {@link ANALYZER_VERSION} is a fingerprint of the
 * tables, and a serialized index built with other tables is refused rather than searched with
 * mismatched terms.
 */

/**
 * Multi-word spellings of one thing, rewritten to a single token before words are split.
 * Applied to lower-cased text with apostrophes already removed.
 */
const PHRASES: readonly [RegExp, string][] = [
  [/\bwi[\s-]?fi\b/g, 'wifi'],
  [/\be[\s-]mails?\b/g, 'email'],
  [/\b(?:multi|two|2)[\s-]?(?:factor|step)(?:[\s-]?(?:authentication|auth|verification))?\b/g, 'mfa'],
  [/\b(?:log(?:ged|ging|s)?|sign(?:ed|ing|s)?)[\s-]?(?:in|on)\b/g, 'login'],
  [/\b(?:log(?:ged|ging|s)?|sign(?:ed|ing|s)?)[\s-]?(?:out|off)\b/g, 'logout'],
  [/\block(?:ed|ing|s)?[\s-]?out\b/g, 'lockout'],
  [/\b(?:office|microsoft)[\s-]?365\b/g, 'office365'],
  [/\bone[\s-]?drive\b/g, 'onedrive'],
  [/\bshare[\s-]?point\b/g, 'sharepoint'],
  [/\bpass[\s-]word/g, 'password'],
  [/\buser[\s-]name/g, 'username'],
  [/\bback[\s-]up/g, 'backup'],
  [/\bwork(?:ing)?[\s-](?:from|at)[\s-]home\b/g, 'remote'],
  [/\b(?:hard[\s-]?(?:drive|disk)|c:?[\s-]?drive)\b/g, 'disk'],
  [/\bnew[\s-](?:starter|joiner|hire|employee|recruit)s?\b/g, 'onboarding'],
  [/\bdocking[\s-]station/g, 'dock'],
];

/**
 * Words that carry no meaning for finding an article: English function words and the chatter
 * of a help request ("hi, please help, it's not working, thanks").
 */
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any anyone anything are as at be because been before
  being below between both but by can cannot cant could did didnt do does doesnt doing done dont down during each
  either else etc even ever every few for from further get gets getting got had hadnt has hasnt have havent having he
  her here hers him his how i id if im in into is isnt it its ive just keep keeps kept let lets like may me
  might mine more most much must my myself need needs needed no nor not now of off ok okay on once only or other
  our ours out over own per please pls plz really same she should shouldnt since so some someone something still
  such than that thats the their theirs them then there theres these they thing things this those though through
  thus to too under until up upon us very via was wasnt way we were werent what whats when where whether which while
  who whom whose why will with wont would wouldnt yes yet you your yours yourself
  hi hello hey dear thanks thank thx cheers regards help helpdesk urgent asap issue issues problem problems
  trying tried try work works working worked able unable anymore anyway anybody somebody everyone`.split(
    /\s+/,
  ),
);

/**
 * Abbreviations, spellings and product names → the canonical term. An IT desk maintains this
 * list from the words its requesters actually type.
 */
const SYNONYM_GROUPS: Record<string, readonly string[]> = {
  password: ['pw', 'pwd', 'pwds', 'pword', 'passwd', 'passwords'],
  mfa: ['2fa', 'tfa', '2sv', 'multifactor', 'twofactor', 'otp'],
  wifi: ['wlan', 'wifis'],
  email: ['mail', 'emails', 'mails'],
  office365: ['o365', 'm365'],
  computer: ['laptop', 'laptops', 'pc', 'pcs', 'notebook', 'desktop', 'computers'],
  mobile: ['phone', 'phones', 'iphone', 'android', 'smartphone', 'cellphone', 'mobiles'],
  microphone: ['mic', 'mics', 'mike', 'microphones'],
  audio: ['sound', 'sounds'],
  camera: ['webcam', 'webcams', 'cam', 'cameras'],
  headset: ['headsets', 'headphones', 'earphones', 'earbuds', 'airpods'],
  printer: ['printers', 'mfp', 'copier', 'photocopier'],
  license: ['licence', 'licences', 'licenses', 'licensing', 'licencing'],
  account: ['acct', 'accounts'],
  certificate: ['cert', 'certs', 'certificates', 'ssl', 'tls'],
  vpn: ['globalprotect', 'vpns'],
  leaver: ['leavers', 'leaving', 'offboarding', 'resign', 'resigned', 'resigning', 'resignation'],
  slow: ['sluggish', 'laggy', 'lag', 'lagging', 'slowly', 'slower'],
  organization: ['organisation', 'organisations', 'organizations'],
};

/** FNV-1a, 32 bits: a stable fingerprint of the tables, not a security measure. */
const fingerprint = (text: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
};

/** Changes whenever what the index stores for a text would change. */
export const ANALYZER_VERSION = fingerprint(
  JSON.stringify([
    PHRASES.map(([pattern, token]) => [pattern.source, token]),
    [...STOP_WORDS],
    SYNONYM_GROUPS,
    // A canary for the stemmer: a new version that stems differently changes the fingerprint.
    ['relational', 'conditional', 'generalizations', 'hopefulness'].map(stemmer),
  ]),
);

const SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries(SYNONYM_GROUPS).flatMap(([canonical, variants]) =>
    [canonical, ...variants].map((variant) => [variant, canonical] as const),
  ),
);

/**
 * Lower case, no accents, no apostrophes ("can't" → "cant", "user's" → "users"), curly quotes
 * and odd dashes unified, then the multi-word phrases folded into single tokens.
 */
const normalize = (text: string): string => {
  let normalized = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/(\p{L})'(\p{L})/gu, '$1$2');
  for (const [pattern, token] of PHRASES) normalized = normalized.replace(pattern, ` ${token} `);
  return normalized;
};

/** Anything but letters, digits and hyphens separates words; hyphens inside a word are kept. */
const SEPARATORS = /[^\p{L}\p{N}-]+/u;

/**
 * Split text into raw words. A hyphenated word yields its parts and the parts joined
 * ("usb-c" → usb, c, usbc), so a query may spell it either way.
 */
export const tokenize = (text: string): string[] => {
  const tokens: string[] = [];
  for (const chunk of normalize(text).split(SEPARATORS)) {
    if (!chunk.includes('-')) {
      if (chunk) tokens.push(chunk);
      continue;
    }
    const parts = chunk.split('-').filter(Boolean);
    tokens.push(...parts);
    if (parts.length > 1) tokens.push(parts.join(''));
  }
  return tokens;
};

const canonical = (word: string): string | undefined => SYNONYMS.get(word);

/** Porter stemming only makes sense for plain words; "caa20002", "o365" and "3rd" stay as they are. */
const stem = (word: string): string => (/^\p{L}+$/u.test(word) && word.length > 3 ? stemmer(word) : word);

/**
 * One raw word → its index term, or `undefined` for a word that should not be indexed (stop
 * words, single characters). Synonyms are looked up on the word and again on its stem, so an
 * inflected variant ("resigned") needs no entry of its own.
 */
const termOf = (word: string): string | undefined => {
  if (word.length < 2 || STOP_WORDS.has(word)) return undefined;
  const direct = canonical(word);
  if (direct) return stem(direct);
  const stemmed = stem(word);
  const viaStem = canonical(stemmed);
  return viaStem ? stem(viaStem) : stemmed;
};

// A vocabulary is small next to the text it is drawn from: remembering each word's term makes
// indexing 5,000 articles several times faster. Bounded, for long-lived containers.
const TERM_CACHE_LIMIT = 100_000;
const termCache = new Map<string, string | undefined>();

export const processTerm = (word: string): string | undefined => {
  if (termCache.has(word)) return termCache.get(word);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  const term = termOf(word);
  termCache.set(word, term);
  return term;
};

/** The index terms of a text, in order, duplicates kept (what the index stores for a field). */
export const analyze = (text: string): string[] => tokenize(text).flatMap((word) => processTerm(word) ?? []);

/**
 * What one query may cost. Queries come from strangers (the public search and suggestions take a
 * subject of 200 and a description of 20,000 characters, no sign-in), and a lookup's cost grows
 * with the length of its term, with each expansion (prefix, typos) and with the number of terms.
 * So a query is bounded before the index is touched; `test/bench/kb-suggest-cost.ts` measures
 * that no input costs more than a few normal queries.
 */
export const QUERY_LIMITS = {
  /** Characters of one text that are analyzed: a ticket says what it is about in its first paragraphs. */
  chars: 1_000,
  /** A longer "word" is none an article uses (a pasted hash, a run of one letter): not looked up. */
  termLength: 24,
  /** Terms one query looks up, heaviest first (the subject's, then in the order written). */
  terms: 16,
  /** Of those, the heaviest this many also match by prefix and with typos; the others match exactly. */
  expandedTerms: 8,
  /** Typos are forgiven in words this long: shorter ones match too much, longer ones cost most to compare. */
  fuzzyTermLength: { min: 5, max: 16 },
  /** Edits forgiven at most (one in five letters up to this many). */
  maxEditDistance: 2,
} as const;

/**
 * The terms a query text is looked up by: the analysis of its first {@link QUERY_LIMITS.chars}
 * characters, without words longer than {@link QUERY_LIMITS.termLength}.
 */
export const queryTerms = (text: string): string[] =>
  analyze(text.slice(0, QUERY_LIMITS.chars)).filter((term) => term.length <= QUERY_LIMITS.termLength);

/**
 * Related words a query also looks for, at a lower weight: what requesters say when they mean a
 * thing an article names differently ("outlook" when the article says "email"). One-way on
 * purpose: an article about Outlook should not match every query about email. Written as plain
 * words and analyzed like any text, so the table survives a change of stemmer.
 */
const RELATED_WORDS: Record<string, readonly string[]> = {
  outlook: ['email'],
  email: ['outlook'],
  chrome: ['browser'],
  edge: ['browser'],
  firefox: ['browser'],
  safari: ['browser'],
  website: ['browser'],
  site: ['browser'],
  hotspot: ['wifi'],
  scam: ['phishing'],
  suspicious: ['phishing'],
  fake: ['phishing'],
  quit: ['leaver'],
  frozen: ['freezing'],
  hangs: ['freezing'],
  storage: ['space', 'disk'],
  screen: ['monitor', 'display'],
  hear: ['audio', 'microphone'],
  stolen: ['lost'],
  recover: ['restore'],
  undelete: ['restore'],
  // "Wireless" is Wi-Fi more often than not, but wireless earbuds and mice are Bluetooth.
  wireless: ['wifi', 'bluetooth'],
  notification: ['prompt'],
  prompt: ['notification'],
  photoshop: ['adobe'],
  illustrator: ['adobe'],
  indesign: ['adobe'],
  premiere: ['adobe'],
  app: ['software'],
  program: ['software'],
  programme: ['software'],
};

const RELATED: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(RELATED_WORDS).flatMap(([word, related]) => {
    const term = processTerm(word);
    return term ? [[term, related.flatMap((other) => processTerm(other) ?? [])] as const] : [];
  }),
);

/** How much a related term counts against a term the requester typed. */
export const RELATED_WEIGHT = 0.4;

/**
 * A query's terms with their weights: each term the requester typed at `weight`, each related
 * term at a fraction of it, duplicates merged (the highest weight wins). Bounded by
 * {@link queryTerms}.
 */
export const analyzeQuery = (
  text: string,
  weight = 1,
  into = new Map<string, number>(),
): Map<string, number> => {
  const add = (term: string, w: number) => into.set(term, Math.max(into.get(term) ?? 0, w));
  for (const term of queryTerms(text)) {
    add(term, weight);
    for (const related of RELATED.get(term) ?? []) add(related, weight * RELATED_WEIGHT);
  }
  return into;
};
