import { useState } from 'react';
import { errorText } from '../api';

/**
 * A form's submit: `busy` while it runs (a second press does nothing), and its failure kept as
 * the form's one error sentence. A form that checks its fields first sets `error` itself.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
