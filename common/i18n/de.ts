/** German for every English source string the app shows (keys are the English text; plurals end in _one/_other). */
export const de: Record<string, string> = {
  // ---- tray and notifications (main) ----
  Online: 'Online',
  'Connecting…': 'Verbinde…',
  Offline: 'Offline',
  'Do not disturb': 'Nicht stören',
  'Softphone: {{presence}}': 'Softphone: {{presence}}',
  '{{presence}} as {{name}}': '{{presence}} als {{name}}',
  '{{count}} missed calls_one': '{{count}} verpasster Anruf',
  '{{count}} missed calls_other': '{{count}} verpasste Anrufe',
  'Show Softphone': 'Softphone anzeigen',
  'Calls ring': 'Anrufe klingeln',
  'Do not disturb: refuse calls': 'Nicht stören: Anrufe abweisen',
  'Do not disturb: ring silently': 'Nicht stören: lautlos klingeln',
  'Quit Softphone': 'Softphone beenden',
  'Incoming call from {{caller}}': 'Eingehender Anruf von {{caller}}',
  'Audio call': 'Audioanruf',
  'Video call': 'Videoanruf',
  Accept: 'Annehmen',
  Decline: 'Ablehnen',
};
