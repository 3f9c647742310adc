import sys, json
src = open('firestore.rules').read()
mutants = {
  'no-hasAll': ("&& settings.keys().hasAll(keys)", ""),
  'no-settings-hasOnly': ("&& settings.keys().hasOnly(keys)", ""),
  'no-is-int': ("value is int && ", ""),
  'min-exclusive': ("value >= min", "value > min"),
  'max-exclusive': ("value <= max", "value < max"),
  'retention-366': ("isIntIn(settings.retentionDays, 1, 365)", "isIntIn(settings.retentionDays, 1, 366)"),
  'interval-59': ("isIntIn(settings.reportingIntervalSeconds, 60, 86400)", "isIntIn(settings.reportingIntervalSeconds, 59, 86400)"),
  'threshold-0': ("isIntIn(settings.failedTestThreshold, 1, 100)", "isIntIn(settings.failedTestThreshold, 0, 100)"),
  'settings-not-map-ok': ("return settings is map\n", "return true\n"),
  'viewer-manages': ("get(memberPath(ws)).data.role in ['owner', 'admin']", "true"),
  'admin-not-manager': ("in ['owner', 'admin']", "in ['owner']"),
  'ws-any-keys': ("&& changesOnly(['name', 'settings'])", ""),
  'name-any-size': ("name.size() >= 1 && name.size() <= 100", "true"),
  'name-max-101': ("name.size() <= 100", "name.size() <= 101"),
  'name-any-type': ("name is string && ", ""),
  'ws-read-signedin': ("allow get: if isMember(ws);", "allow get: if signedIn();"),
  'ws-list': ("allow get: if isMember(ws);", "allow read: if signedIn();"),
  'ws-create': ("allow get: if isMember(ws);", "allow get: if isMember(ws);\n      allow create, delete: if signedIn();"),
  'users-any': ("allow get: if isUser(uid);", "allow get: if signedIn();"),
  'users-write': ("allow get: if isUser(uid);", "allow get, write: if isUser(uid);"),
  'users-list': ("allow get: if isUser(uid);", "allow read: if signedIn();"),
  'member-read-any': ("allow read: if isMember(ws);\n        // Roles", "allow read: if signedIn();\n        // Roles"),
  'member-update-others': ("allow update: if isUser(uid)", "allow update: if isMember(ws)"),
  'member-any-field': ("&& changesOnly(['notifications'])", ""),
  'member-create': ("allow update: if isUser(uid)", "allow create: if isUser(uid);\n        allow update: if isUser(uid)"),
  'member-delete': ("allow update: if isUser(uid)", "allow delete: if isMember(ws);\n        allow update: if isUser(uid)"),
  'notif-any-kind': ("&& choices.keys().hasOnly([", "&& true || choices.keys().hasOnly(["),
  'notif-not-map': ("return choices is map\n", "return true\n"),
  'notif-required-all': ("!(kind in choices) || ", "(kind in choices) && "),
  'agents-only-doc': ("match /agents/{agentId}/{rest=**} {", "match /agents/{agentId} {"),
  'agents-read-signedin': ("match /agents/{agentId}/{rest=**} {\n        allow read: if isMember(ws);", "match /agents/{agentId}/{rest=**} {\n        allow read: if signedIn();"),
  'agents-write': ("match /agents/{agentId}/{rest=**} {\n        allow read: if isMember(ws);", "match /agents/{agentId}/{rest=**} {\n        allow read, write: if isMember(ws);"),
  'events-read-signedin': ("match /events/{eventId} {\n        allow read: if isMember(ws);", "match /events/{eventId} {\n        allow read: if signedIn();"),
  'events-ack': ("match /events/{eventId} {\n        allow read: if isMember(ws);", "match /events/{eventId} {\n        allow read, update: if isMember(ws);"),
  'keys-readable': ("allow read, write: if false;", "allow read: if signedIn();"),
  'keys-writable': ("allow read, write: if false;", "allow write: if signedIn();"),
  'collection-group': ("    // Hashes of agent keys", "    match /{path=**}/reports/{id} { allow read: if signedIn(); }\n    // Hashes of agent keys"),
  'anything-else': ("    // Hashes of agent keys", "    match /misc/{id} { allow read: if signedIn(); }\n    // Hashes of agent keys"),
  'ws-subtree': ("      match /events/{eventId} {", "      match /{other}/{id} { allow read, write: if isMember(ws); }\n      match /events/{eventId} {"),
}
name = sys.argv[1]
if name == 'list': print(' '.join(mutants)); sys.exit()
old, new = mutants[name]
for i, ch in enumerate(c for c in [old]):
    pass
assert src.count(old) == 1 or name in ('min-exclusive','max-exclusive'), (name, src.count(old))
assert old in src, name
open(f'tests/rules/.mutation/{name}.rules','w').write(src.replace(old, new, 1))
