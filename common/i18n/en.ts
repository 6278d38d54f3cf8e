/** English needs only its plural forms: every other English string is its own key. */
export const en: Record<string, string> = {
  '{{count}} missed calls_one': '{{count}} missed call',
  '{{count}} missed calls_other': '{{count}} missed calls',
  'Check the servers marked above._one': 'Check the server marked above.',
  'Check the servers marked above._other': 'Check the servers marked above.',
  '{{count}} entries of your call history could not be read and were left out; the file as it was is kept as {{file}}._one':
    '{{count}} entry of your call history could not be read and was left out; the file as it was is kept as {{file}}.',
  '{{count}} entries of your call history could not be read and were left out; the file as it was is kept as {{file}}._other':
    '{{count}} entries of your call history could not be read and were left out; the file as it was is kept as {{file}}.',
  '{{count}} contacts in your contacts file could not be read ({{which}}). They were kept in {{file}}; the others loaded._one':
    'One contact in your contacts file could not be read ({{which}}). It was kept in {{file}}; the others loaded.',
  '{{count}} contacts in your contacts file could not be read ({{which}}). They were kept in {{file}}; the others loaded._other':
    '{{count}} contacts in your contacts file could not be read ({{which}}). They were kept in {{file}}; the others loaded.',
};
