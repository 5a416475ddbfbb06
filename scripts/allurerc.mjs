/**
 * Allure 3 configuration of `npm run report` (scripts/report.mjs): one self-contained
 * allure-report/index.html that opens from disk, with no server and no Java.
 */
export default {
  name: 'Fortinet API conformance',
  output: 'allure-report',
  plugins: { awesome: { options: { singleFile: true, reportName: 'Fortinet API conformance' } } },
};
