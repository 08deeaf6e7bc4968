import { NewVisitForm } from './NewVisitForm';
import { VisitList } from './VisitList';
import { VisitView } from './VisitView';

export type VisitsView = { kind: 'list' } | { kind: 'new' } | { kind: 'visit'; visitId: number };

interface VisitsPageProps {
  today: string;
  view: VisitsView;
  onViewChange: (view: VisitsView) => void;
}

export function VisitsPage({ today, view, onViewChange }: VisitsPageProps) {
  const backToList = () => onViewChange({ kind: 'list' });
  switch (view.kind) {
    case 'new':
      return <NewVisitForm onCreated={(visit) => onViewChange({ kind: 'visit', visitId: visit.id })} onCancel={backToList} />;
    case 'visit':
      return <VisitView key={view.visitId} visitId={view.visitId} today={today} onBack={backToList} />;
    case 'list':
      return <VisitList onNew={() => onViewChange({ kind: 'new' })} onOpen={(visitId) => onViewChange({ kind: 'visit', visitId })} />;
  }
}
