'use client';

import { Field, Input } from '@chakra-ui/react';
import { useState } from 'react';
import { parseLabelFilter } from '@/lib/domain/labels';

interface LabelFilterFieldProps {
  /** The label the feed is filtered by (as in the URL), or undefined for none. */
  label: string | undefined;
  /** A solution filter is on: Firestore takes one array-contains per query, so no label with it. */
  solutionChosen: boolean;
  onChange: (label: string | undefined) => void;
}

/**
 * The events feed's label filter: one `key=value`, checked with the labels' own rules
 * (domain/labels.ts) as it is typed, applied on Enter or when the field is left, so the URL (and
 * the read) changes once per label, not per keystroke. A bad label stays in the field with why it
 * is refused, and the feed keeps its filters.
 */
export function LabelFilterField({ label, solutionChosen, onChange }: LabelFilterFieldProps) {
  // null while the field shows the applied label; the text typed otherwise.
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? label ?? '';
  const parsed = parseLabelFilter(text);
  const problem = 'problem' in parsed ? parsed.problem : null;
  const disabled = solutionChosen && !label;

  function apply() {
    if (typed === null || problem !== null) return;
    const next = typed.trim() || undefined;
    setTyped(null);
    if (next !== label) onChange(next);
  }

  return (
    <Field.Root w={{ base: 'full', sm: '56' }} invalid={problem !== null} disabled={disabled}>
      <Field.Label>Label</Field.Label>
      <Input
        type="search"
        name="label"
        placeholder="env=prod"
        fontFamily="mono"
        value={text}
        onChange={(event) => setTyped(event.currentTarget.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          apply();
        }}
        autoComplete="off"
        spellCheck={false}
      />
      {problem !== null ? (
        <Field.ErrorText>{problem}</Field.ErrorText>
      ) : (
        <Field.HelperText>
          {disabled ? 'Not with a solution filter.' : 'One key=value at a time (Enter applies it), as the agent was labelled then.'}
        </Field.HelperText>
      )}
    </Field.Root>
  );
}
