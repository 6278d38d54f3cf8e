import { RoutedMessage, type RoutedType } from '../../common/signaling-protocol.ts';

const ROUTED_TYPES = new Set<string>(RoutedMessage.options.map((option) => option.shape.type.value));

/** Whether a message type is a call signal routed to another user. */
export function isRoutedType(type: string): type is RoutedType {
  return ROUTED_TYPES.has(type);
}
