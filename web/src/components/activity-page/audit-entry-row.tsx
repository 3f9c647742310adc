import { Card, Flex, Stack, Text } from '@chakra-ui/react';
import type { AuditEntryView } from '@/lib/model/audit-entry';
import { auditActionLabel, auditActorText, auditTargetTypeLabel, UNKNOWN_ACTOR_EXPLANATION } from '@/lib/text/audit-text';
import { dashboardLinks } from '@vigil/schema/constants';
import { AppLink } from '../ui/app-link';
import { RelativeTime } from '../ui/relative-time';
import { AuditChanges } from './audit-changes';

/** What the entry is about: an agent links to its page (unless this entry deleted it); anything else is its name, else its id. */
function Target({ workspaceId, entry }: { workspaceId: string; entry: AuditEntryView }) {
  const { target } = entry;
  const name = target.name ?? target.id;
  const linked = target.type === 'agent' && target.id !== '' && entry.action !== 'agent.deleted';
  return (
    <Text as="span" data-testid="audit-target" data-target-type={target.type}>
      {auditTargetTypeLabel(target.type)}{' '}
      {linked ? (
        <AppLink href={dashboardLinks.agent(workspaceId, target.id)} fontWeight="medium">
          {name}
        </AppLink>
      ) : (
        <Text as="span" fontWeight="medium" wordBreak="break-word">
          {name}
        </Text>
      )}
    </Text>
  );
}

function Actor({ entry }: { entry: AuditEntryView }) {
  const text = auditActorText(entry.actor);
  return (
    <Text as="span" fontWeight="medium" data-testid="audit-actor" data-actor-type={entry.actor.type}>
      {entry.actor.type === 'unknown' ? (
        <Text as="abbr" title={`Unknown: ${UNKNOWN_ACTOR_EXPLANATION}`} textDecoration="underline dotted" cursor="help">
          {text}
        </Text>
      ) : (
        text
      )}
    </Text>
  );
}

/** One audit entry: when, who, what (its label and its action's name), on what, the change, and from where. */
export function AuditEntryRow({ workspaceId, entry }: { workspaceId: string; entry: AuditEntryView }) {
  return (
    <Card.Root as="li" size="sm" data-testid="audit-entry" data-action={entry.action} data-entry-id={entry.id}>
      <Card.Body>
        <Stack gap="2">
          <Flex justify="space-between" gap="3" wrap="wrap" align="baseline">
            <Text fontWeight="semibold" wordBreak="break-word" data-testid="audit-action">
              {auditActionLabel(entry.action)}{' '}
              <Text as="span" fontFamily="mono" fontWeight="normal" textStyle="sm" color="fg.muted">
                ({entry.action})
              </Text>
            </Text>
            <Text textStyle="sm" color="fg.muted">
              <RelativeTime date={entry.at} fallback="just now" />
            </Text>
          </Flex>
          <Text textStyle="sm" color="fg.muted" wordBreak="break-word">
            By <Actor entry={entry} /> · <Target workspaceId={workspaceId} entry={entry} />
            {entry.ip && (
              <>
                {' · from '}
                <Text as="span" fontFamily="mono" data-testid="audit-ip">
                  {entry.ip}
                </Text>
              </>
            )}
          </Text>
          <AuditChanges changes={entry.changes} />
        </Stack>
      </Card.Body>
    </Card.Root>
  );
}
