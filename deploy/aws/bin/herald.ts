import { App } from 'aws-cdk-lib';
import { HeraldStack } from '../lib/herald-stack';
import { readDeploySettings } from '../lib/settings';

const app = new App();
const settings = readDeploySettings((key) => app.node.tryGetContext(key));
new HeraldStack(app, app.node.tryGetContext('stackName') ?? 'Herald', {
  settings,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
