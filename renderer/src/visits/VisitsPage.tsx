import type { CertificateType } from '../../../core/contract';
import { NewVisitForm } from './NewVisitForm';
import { VisitList } from './VisitList';
import { VisitView } from './VisitView';

/** What a scanned slip fills in from the issuance list. */
export interface SlipPrefill {
  slipNo: string;
  unit: string;
  certificateType: CertificateType;
}

export type VisitsView = { kind: 'list' } | { kind: 'new'; prefill?: SlipPrefill } | { kind: 'visit'; visitId: number; pickRoster?: boolean };

interface VisitsPageProps {
  today: string;
  view: VisitsView;
  onViewChange: (view: VisitsView) => void;
}

export function VisitsPage({ today, view, onViewChange }: VisitsPageProps) {
  const backToList = () => onViewChange({ kind: 'list' });
  switch (view.kind) {
    case 'new':
      // Keyed by the slip: a second slip scanned while the form is open starts the form afresh.
      return (
        <NewVisitForm
          key={view.prefill?.slipNo ?? ''}
          prefill={view.prefill}
          onCreated={(visit) => onViewChange({ kind: 'visit', visitId: visit.id, pickRoster: true })}
          onCancel={backToList}
        />
      );
    case 'visit':
      return <VisitView key={view.visitId} visitId={view.visitId} today={today} pickRoster={view.pickRoster ?? false} onBack={backToList} />;
    case 'list':
      return <VisitList onNew={() => onViewChange({ kind: 'new' })} onOpen={(visitId) => onViewChange({ kind: 'visit', visitId })} />;
  }
}
