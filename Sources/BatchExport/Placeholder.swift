/// Batch export of top-K recommendations (placeholder until the export job lands).
public enum BatchExportModule {}
