// The words of UN drafting in each official language that the parser keys on: the introductory
// formula, the opening words of preambular and operative paragraphs, known unnumbered headings,
// month names, the "draft resolution" marker after a sponsor list. Data only.
import type { Language } from './types.ts';

export interface Vocabulary {
  /** The formula that opens the preamble: "L'Assemblée générale,". Tested on the trimmed line. */
  formula: RegExp;
  /** A first word that opens a preambular paragraph (participle, gerund, adjective). */
  preambularWord: RegExp;
  /** Russian opens preambular and operative paragraphs in lower case ("ссылаясь", "1. постановляет"). */
  lowercaseOpeners: boolean;
  /** Words that may precede the opening word and belong to it ("Se", "Deeply", "Вновь"). */
  leadWords: ReadonlySet<string>;
  /** Adverbs or fixed complements that follow the verb and belong to the opening phrase. */
  followPhrases: readonly string[];
  /** Unnumbered headings of reports, each a whole line. */
  summary: RegExp;
  foreword: RegExp;
  transmittal: RegExp;
  annex: RegExp;
  nextSteps: RegExp;
  /** "45e séance plénière": the closing lines of an adopted resolution. */
  plenary: RegExp;
  /** Signature lines, never headings. */
  signature: RegExp;
  /** ": projet de résolution (révisé)" closing a sponsor list. */
  draftMarker: RegExp;
  decisionWord: RegExp;
  reportWord: RegExp;
  agendaItem: RegExp;
  /** Words that introduce GA resolution numbers: "résolution(s) 73/27". */
  resolutionWord: RegExp;
  humanRightsCouncil: RegExp;
  /** Paragraph references: "paragraphe 16 de", "par. 7". */
  paragraphWord: RegExp;
  annexWord: RegExp;
  /** "et", "and", "y", "и": the last separator of a list. */
  and: RegExp;
  months: readonly string[];
  stopWords: readonly string[];
}

const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const EN_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const RU_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

const fr: Vocabulary = {
  formula: /^L[’']Assemblée générale\s*,$/u,
  preambularWord: /^(?:\p{Lu}\p{Ll}+ant|Consciente?|Convaincue?|Préoccupée?|Résolue?|Déterminée?|Désireuse|Alarmée?|Inquiète|Persuadée?|Guidée?|Profondément|Gravement|Vivement|Certaine?|Attachée?|Soucieuse)$/u,
  lowercaseOpeners: false,
  leadWords: new Set(['Se', 'S’', "S'", 'Ne', 'Profondément', 'Gravement', 'Vivement', 'Très']),
  followPhrases: ['favorablement', 'avec satisfaction', 'avec préoccupation', 'avec inquiétude', 'avec intérêt', 'avec appréciation', 'instamment', 'vivement', 'également', 'en outre', 'de nouveau', 'aussi', 'encore', 'note', 'acte', 'compte', 'préoccupée', 'préoccupé', 'examiné'],
  summary: /^Résumé$/u,
  foreword: /^Avant-propos\b/u,
  transmittal: /^Lettres? d[’']envoi\b/u,
  annex: /^Annexes?(?:\s+([IVXL]+|\d+))?\s*\*?$/u,
  nextSteps: /^Prochaines étapes recommandées$/u,
  plenary: /^\d+e\s+séance plénière$/u,
  signature: /\((?:Signé|Signée)\)/u,
  draftMarker: /\s*:\s*projet de (?:résolution|décision)(?:\s+révisée?)?\s*$/u,
  decisionWord: /^(?:Décision|décision)\b/u,
  reportWord: /\b(?:Rapport|rapport)\b/u,
  agendaItem: /\bPoints?\s+(\d+(?:\s*[a-z]\))?)\s+de\s+l[’']ordre du jour\b/u,
  resolutionWord: /\b[Rr]ésolutions?\s+/gu,
  humanRightsCouncil: /^\s*du Conseil des droits de l[’']homme/u,
  paragraphWord: /\b(?:paragraphes?|par\.|alinéas?)\s+/gu,
  annexWord: /\bannexe\s+([IVXL]+|\d+)/iu,
  and: /\s+et\s+/u,
  months: FR_MONTHS,
  stopWords: ['le', 'la', 'les', 'des', 'du', 'et', 'que', 'dans', 'pour', 'une', 'est', 'sur', 'aux', 'qui', 'leur', 'au'],
};

const en: Vocabulary = {
  formula: /^The General Assembly\s*,$/u,
  preambularWord: /^(?:\p{Lu}\p{Ll}+ing|Concerned|Aware|Conscious|Convinced|Mindful|Determined|Alarmed|Guided|Encouraged|Deeply|Gravely|Further|Also|Cognizant|Desirous|Seriously)$/u,
  lowercaseOpeners: false,
  leadWords: new Set(['Deeply', 'Gravely', 'Further', 'Also', 'Seriously', 'Strongly', 'Once']),
  followPhrases: ['with appreciation', 'with satisfaction', 'with concern', 'with interest', 'note of', 'note', 'also', 'further', 'again', 'strongly', 'concerned', 'in mind'],
  summary: /^Summary$/u,
  foreword: /^Foreword\b/u,
  transmittal: /^Letters? of transmittal\b/u,
  annex: /^Annex(?:es)?(?:\s+([IVXL]+|\d+))?\s*\*?$/u,
  nextSteps: /^Recommended next steps$/u,
  plenary: /^\d+(?:st|nd|rd|th)\s+plenary meeting$/u,
  signature: /\(Signed\)/u,
  draftMarker: /\s*:\s*(?:revised\s+)?draft (?:resolution|decision)(?:\s+revised)?\s*$/iu,
  decisionWord: /^Decision\b/u,
  reportWord: /\bReport\b/iu,
  agendaItem: /\bAgenda items?\s+(\d+(?:\s*\([a-z]\))?)/u,
  resolutionWord: /\b[Rr]esolutions?\s+/gu,
  humanRightsCouncil: /^\s*of the Human Rights Council/u,
  paragraphWord: /\b(?:paragraphs?|paras?\.|subparagraphs?)\s+/gu,
  annexWord: /\bannex\s+([IVXL]+|\d+)/iu,
  and: /\s+and\s+/u,
  months: EN_MONTHS,
  stopWords: ['the', 'of', 'and', 'to', 'in', 'that', 'is', 'for', 'on', 'with', 'by', 'its', 'as', 'be'],
};

const es: Vocabulary = {
  formula: /^La Asamblea General\s*,$/u,
  preambularWord: /^(?:\p{Lu}\p{Ll}+(?:ando|iendo|yendo)|Consciente|Convencida|Preocupada|Profundamente|Gravemente|Alarmada|Decidida|Guiada|Deseosa)$/u,
  lowercaseOpeners: false,
  leadWords: new Set(['Profundamente', 'Gravemente', 'Se']),
  followPhrases: ['con beneplácito', 'con satisfacción', 'con preocupación', 'con aprecio', 'también', 'además', 'nota', 'presente', 'en cuenta', 'de relieve', 'nuevamente'],
  summary: /^Resumen$/u,
  foreword: /^Prólogo\b/u,
  transmittal: /^Cartas? de envío\b/u,
  annex: /^Anexos?(?:\s+([IVXL]+|\d+))?\s*\*?$/u,
  nextSteps: /^Próximos pasos recomendados$/u,
  plenary: /^\d+ª?\s+sesión plenaria$/u,
  signature: /\(Firmad[oa]\)/u,
  draftMarker: /\s*:\s*proyecto de (?:resolución|decisión)(?:\s+revisado)?\s*$/u,
  decisionWord: /^Decisión\b/u,
  reportWord: /\b[Ii]nforme\b/u,
  agendaItem: /\bTemas?\s+(\d+(?:\s*[a-z]\))?)\s+del programa\b/u,
  resolutionWord: /\b[Rr]esoluci(?:ón|ones)\s+/gu,
  humanRightsCouncil: /^\s*del Consejo de Derechos Humanos/u,
  paragraphWord: /\b(?:párrafos?|párr\.|apartados?)\s+/gu,
  annexWord: /\banexo\s+([IVXL]+|\d+)/iu,
  and: /\s+[ye]\s+/u,
  months: ES_MONTHS,
  stopWords: ['el', 'la', 'los', 'las', 'del', 'y', 'que', 'en', 'por', 'para', 'una', 'con', 'se', 'su'],
};

const ru: Vocabulary = {
  formula: /^Генеральная Ассамблея\s*,$/u,
  // Adverbial participles: отмечая, приветствуя, ссылаясь, рассмотрев; "будучи …", "вновь …".
  preambularWord: /^(?:\p{L}\p{Ll}+(?:ая|яя|уя|юя|ясь|вшись|ив|ав|ев)|будучи|вновь|глубоко|особо|сознавая|памятуя|признавая|учитывая|подтверждая)$/iu,
  lowercaseOpeners: true,
  leadWords: new Set(['Вновь', 'Будучи', 'Глубоко', 'Особо', 'Также', 'Настоятельно', 'Далее', 'вновь', 'будучи', 'глубоко', 'особо', 'также', 'настоятельно', 'далее']),
  followPhrases: ['к сведению', 'с удовлетворением', 'с обеспокоенностью', 'также', 'вновь', 'во внимание', 'глубоко обеспокоена', 'убеждена', 'обеспокоена'],
  summary: /^Резюме$/u,
  foreword: /^Предисловие\b/u,
  transmittal: /^Препроводительное письмо\b/u,
  annex: /^Приложени[ея](?:\s+([IVXL]+|\d+))?\s*\*?$/u,
  nextSteps: /^Рекомендуемые (?:дальнейшие|следующие) (?:шаги|меры)$/u,
  plenary: /^\d+-?е\s+пленарное заседание$/u,
  signature: /\(Подпись\)/u,
  draftMarker: /\s*:\s*(?:пересмотренный\s+)?проект (?:резолюции|решения)\s*$/u,
  decisionWord: /^Решение\b/u,
  reportWord: /\b[Дд]оклад\b/u,
  agendaItem: /\bПункты?\s+(\d+(?:\s*[a-zа-я]\))?)\s+повестки дня\b/u,
  resolutionWord: /(?<![\p{L}])[Рр]езолюци(?:я|и|ю|ей|ях|ям|ями)\s+/gu,
  humanRightsCouncil: /^\s*Совета по правам человека/u,
  paragraphWord: /(?<![\p{L}])(?:пункт(?:а|е|ом|ы|ов)?|п\.)\s+/gu,
  annexWord: /приложени[еия]\s+([IVXL]+|\d+)/iu,
  and: /\s+и\s+/u,
  months: RU_MONTHS,
  stopWords: ['и', 'в', 'на', 'по', 'с', 'что', 'для', 'не', 'о', 'к', 'из', 'как'],
};

// Arabic and Chinese: enough to find the formula, annexes and the shape of a resolution.
const ar: Vocabulary = {
  ...en,
  lowercaseOpeners: true,
  formula: /^إن الجمعية العامة\s*[،,]$/u,
  preambularWord: /^(?:وإذ|إذ)$/u,
  leadWords: new Set(['إذ', 'وإذ']),
  followPhrases: [],
  summary: /^موجز$/u,
  foreword: /^تصدير\b/u,
  transmittal: /^رسالة الإحالة\b/u,
  annex: /^المرفق(?:\s+(\S+))?$/u,
  nextSteps: /^الخطوات التالية الموصى بها$/u,
  plenary: /الجلسة العامة/u,
  draftMarker: /\s*:\s*مشروع قرار(?:\s+منقح)?\s*$/u,
  resolutionWord: /(?:ال)?قرار(?:ين|ات|اتها|يها|ها|ه)?\s+/gu,
  and: /\s+و/u,
  months: ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيه', 'يوليه', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
  stopWords: ['في', 'من', 'على', 'إلى', 'أن', 'التي', 'الذي', 'عن', 'مع'],
};

const zh: Vocabulary = {
  ...en,
  lowercaseOpeners: true,
  formula: /^大会\s*[，,]$/u,
  // Preambular openers, then the operative verbs (numbered paragraphs are told apart by their number).
  preambularWord: /^(?:又回顾|回顾|注意到|又强调|强调|确认|认识到|欢迎|深信|意识到|表示关切|关切|重申|铭记|考虑到|申明|赞赏|决定|吁请|促请|敦促|鼓励|邀请|请|要求|表示)/u,
  leadWords: new Set(),
  followPhrases: [],
  summary: /^摘要$/u,
  foreword: /^前言/u,
  transmittal: /^转递信/u,
  annex: /^附件(?:\s*(\S+))?$/u,
  nextSteps: /^建议的下一步措施$/u,
  plenary: /全体会议$/u,
  draftMarker: /\s*[:：]\s*(?:订正)?决议草案\s*$/u,
  resolutionWord: /第\s*/gu,
  and: /\s*和\s*/u,
  months: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
  stopWords: ['的', '和', '在', '与', '对', '为', '以'],
};

export const VOCABULARY: Readonly<Record<Language, Vocabulary>> = { fr, en, es, ru, ar, zh };
