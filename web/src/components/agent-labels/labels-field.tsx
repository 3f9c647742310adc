import { Field, Textarea } from '@chakra-ui/react';
import { LABEL_LIMITS } from '@vigil/schema/constants';
import { parseLabelLines } from '@/lib/domain/labels';

/** Labels as text, one `key=value` a line, with each bad line's problem under it (the form sends nothing until none is left). */
export function LabelsField({ value, onChange, helper }: { value: string; onChange: (text: string) => void; helper: string }) {
  const { problems } = parseLabelLines(value);
  return (
    <Field.Root invalid={problems.length > 0}>
      <Field.Label>Labels</Field.Label>
      <Textarea
        name="labels"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={4}
        fontFamily="mono"
        placeholder={'env=prod\nrole=web'}
        autoComplete="off"
        spellCheck={false}
      />
      {problems.length > 0 ? (
        <Field.ErrorText data-testid="labels-problems">{problems.join(' ')}</Field.ErrorText>
      ) : (
        <Field.HelperText>
          {helper} One key=value a line, at most {LABEL_LIMITS.maxLabels}; keys in lower case (a-z, 0-9, &quot;-&quot;, &quot;_&quot;, &quot;.&quot;).
        </Field.HelperText>
      )}
    </Field.Root>
  );
}
