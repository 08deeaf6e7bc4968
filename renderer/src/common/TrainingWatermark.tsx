/** Over every screen of a training database: no screenshot of practice can pass for the real register. */
export function TrainingWatermark() {
  return (
    <div className="training-watermark" data-testid="training-watermark" aria-hidden>
      {Array.from({ length: 24 }, (_, i) => (
        <span key={i}>培训</span>
      ))}
    </div>
  );
}
