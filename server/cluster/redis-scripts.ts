/**
 * The Lua scripts that change the shared presence hash. Each change and its
 * announcement happen in one script: the hash is updated, a global sequence
 * number is taken, and the event is published, atomically. So every node
 * sees every change, in the order Redis made them, numbered without gaps.
 *
 * Presence hash: field = name key, value = the NameEntry as JSON.
 * Events on the presence channel:
 *   {"op":"set","seq":N,"entry":{…},"previous":{…}|null,"displace":"replace"|"rename"|""}
 *   {"op":"delete","seq":N,"entry":{…}}
 */

/** A JSON entry's `sid` (and `node`) compared inside Lua. */
const HOLDER = `
local function field_of(json, name)
  local ok, decoded = pcall(cjson.decode, json)
  if not ok then return nil end
  return decoded[name]
end
`;

/**
 * KEYS: presence hash, sequence key. ARGV: name key, expected holder sid ('' = free), entry JSON, channel, displace.
 * Returns the event's sequence number, or 0 when the key was not held as expected.
 */
export const CLAIM = `${HOLDER}
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  if current then return 0 end
elseif not current or field_of(current, 'sid') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
local seq = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[4], '{"op":"set","seq":' .. seq .. ',"entry":' .. ARGV[3] .. ',"previous":' .. (current or 'null') .. ',"displace":"' .. ARGV[5] .. '"}')
return seq
`;

/**
 * KEYS: presence hash, sequence key. ARGV: name key, holder sid, channel.
 * Returns the event's sequence number, or 0 when someone else holds the key by now.
 */
export const RELEASE = `${HOLDER}
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or field_of(current, 'sid') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local seq = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[3], '{"op":"delete","seq":' .. seq .. ',"entry":' .. current .. '}')
return seq
`;

/**
 * Removes every name a node holds, unless that node is alive after all.
 * KEYS: presence hash, sequence key, the node's heartbeat key. ARGV: node id, channel, '1' to skip the liveness check (a node leaving).
 * Returns how many names were removed.
 */
export const SWEEP_NODE = `${HOLDER}
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local all = redis.call('HGETALL', KEYS[1])
local removed = 0
for i = 1, #all, 2 do
  if field_of(all[i + 1], 'node') == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    local seq = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[2], '{"op":"delete","seq":' .. seq .. ',"entry":' .. all[i + 1] .. '}')
    removed = removed + 1
  end
end
return removed
`;

/** KEYS: presence hash, sequence key. Returns {sequence, flat HGETALL}, taken together. */
export const SNAPSHOT = `
return {redis.call('GET', KEYS[2]) or '0', redis.call('HGETALL', KEYS[1])}
`;
