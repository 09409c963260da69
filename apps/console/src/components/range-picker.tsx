import { useId } from 'preact/hooks';
import type { RangeChoice, RangePreset } from '../logic/time-range';
import { toDateTimeLocal } from '../logic/time-range';

interface Props {
  label: string;
  presets: readonly RangePreset[];
  value: RangeChoice;
  onChange(choice: RangeChoice): void;
  /** Why the custom range cannot be used, shown beside its fields. */
  problem?: string;
}

/** A rolling range (last hour, last 7 days, ...) or two UTC times. */
export function RangePicker({ label, presets, value, onChange, problem }: Props) {
  const id = useId();
  const problemId = `${id}-problem`;
  const onSelect = (selected: string) => {
    if (selected !== 'custom') return onChange({ kind: 'preset', id: selected });
    const preset = presets.find((p) => value.kind === 'preset' && p.id === value.id) ?? presets[0];
    const now = new Date();
    onChange({
      kind: 'custom',
      from: toDateTimeLocal(new Date(now.getTime() - preset.ms)),
      to: toDateTimeLocal(now),
    });
  };
  return (
    <div class="field-group">
      <div class="field">
        <label for={`${id}-range`}>{label}</label>
        <select
          id={`${id}-range`}
          value={value.kind === 'preset' ? value.id : 'custom'}
          onChange={(e) => onSelect(e.currentTarget.value)}
        >
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range (UTC)…</option>
        </select>
      </div>
      {value.kind === 'custom' && (
        <>
          <div class="field">
            <label for={`${id}-from`}>From (UTC)</label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={value.from}
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={problem ? problemId : undefined}
              onChange={(e) => onChange({ ...value, from: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for={`${id}-to`}>To (UTC)</label>
            <input
              id={`${id}-to`}
              type="datetime-local"
              value={value.to}
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={problem ? problemId : undefined}
              onChange={(e) => onChange({ ...value, to: e.currentTarget.value })}
            />
          </div>
        </>
      )}
      {problem && (
        <p id={problemId} class="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
