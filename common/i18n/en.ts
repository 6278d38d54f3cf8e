/** English needs only its plural forms: every other English string is its own key. */
export const en: Record<string, string> = {
  '{{count}} missed calls_one': '{{count}} missed call',
  '{{count}} missed calls_other': '{{count}} missed calls',
  'Check the servers marked above._one': 'Check the server marked above.',
  'Check the servers marked above._other': 'Check the servers marked above.',
};
