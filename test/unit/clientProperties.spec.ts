import { expect } from "chai";
import { parseClientProperties, propertiesOf } from "../../src/config/clientProperties.js";
import { kafkaConfig } from "../../src/config/kafkaConfig.js";
import { redactor } from "../../src/cli/logger.js";
import { Problems } from "../../src/config/problems.js";

const CONFLUENT_CLOUD = `# Required connection configs for Kafka producer, consumer, and admin
bootstrap.servers=pkc-abc12.us-east-1.aws.confluent.cloud:9092
security.protocol=SASL_SSL
sasl.mechanisms=PLAIN
sasl.username=ABCDEFGHIJKLMNOP
sasl.password=s3cr3t+/Pa55w0rd==

# Best practice for higher availability in librdkafka clients prior to 1.7
session.timeout.ms=45000
client.dns.lookup=use_all_dns_ips

# Required connection configs for Confluent Cloud Schema Registry
schema.registry.url=https://psrc-xyz.us-east-2.aws.confluent.cloud
basic.auth.credentials.source=USER_INFO
basic.auth.user.info=SRKEY:srsecret
`;

const JAVA_MSK = `bootstrap.servers = b-1.msk.example:9096,b-2.msk.example:9096
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
  username="alice" password="wonder land";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/ssl/ca.pem
`;

describe("client settings files (--kafka-config)", () => {
  it("should read key=value, key = value, continuations and comments", () => {
    expect(propertiesOf("a=1\n# c\n! d\nb = two words \nc: 3\nd=x\\\n  y\n\n")).to.deep.equal([
      ["a", "1", 1],
      ["b", "two words", 4],
      ["c", "3", 5],
      ["d", "xy", 6],
    ]);
  });

  it("should take a Confluent Cloud client file as it is, keeping the registry settings apart", () => {
    const { kafka, registry, problems } = parseClientProperties(CONFLUENT_CLOUD, "cc.properties");
    expect(problems).to.deep.equal([]);
    expect(kafka).to.deep.equal({
      "bootstrap.servers": "pkc-abc12.us-east-1.aws.confluent.cloud:9092",
      "security.protocol": "SASL_SSL",
      "sasl.mechanisms": "PLAIN",
      "sasl.username": "ABCDEFGHIJKLMNOP",
      "sasl.password": "s3cr3t+/Pa55w0rd==",
      "session.timeout.ms": "45000",
    });
    expect(registry).to.deep.equal({
      "schema.registry.url": "https://psrc-xyz.us-east-2.aws.confluent.cloud",
      "basic.auth.credentials.source": "USER_INFO",
      "basic.auth.user.info": "SRKEY:srsecret",
    });
  });

  it("should translate a Java client's SCRAM JAAS line and PEM truststore", () => {
    const { kafka, problems } = parseClientProperties(JAVA_MSK, "msk.properties");
    expect(problems).to.deep.equal([]);
    expect(kafka).to.deep.equal({
      "bootstrap.servers": "b-1.msk.example:9096,b-2.msk.example:9096",
      "security.protocol": "SASL_SSL",
      "sasl.mechanisms": "SCRAM-SHA-512",
      "sasl.username": "alice",
      "sasl.password": "wonder land",
      "ssl.ca.location": "/etc/ssl/ca.pem",
    });
  });

  it("should refuse a JKS truststore, naming the line", () => {
    expect(parseClientProperties("ssl.truststore.location=/x/truststore.jks\n", "j.properties").problems).to.deep.equal(
      [
        "j.properties: line 1: ssl.truststore.location is a Java truststore (JKS/PKCS12), which librdkafka cannot read: give the CA as a PEM file in ssl.ca.location",
      ],
    );
  });

  it("should take the brokers from the file unless a flag gives them, and let -X beat the file", () => {
    const p = new Problems();
    const file = { name: "cc.properties", text: CONFLUENT_CLOUD };
    const config = kafkaConfig(
      { X: ["session.timeout.ms=10000"] },
      { KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9092" },
      p,
      file,
    );
    expect(p.list).to.deep.equal([]);
    expect(config.brokers).to.equal("pkc-abc12.us-east-1.aws.confluent.cloud:9092");
    expect(config.properties["session.timeout.ms"]).to.equal("10000");
    expect(config.properties).to.not.have.property("bootstrap.servers");
    expect(kafkaConfig({ brokers: "other:9092" }, {}, new Problems(), file).brokers).to.equal("other:9092");
    expect([...new Set(config.secrets)].sort()).to.deep.equal(["SRKEY:srsecret", "s3cr3t+/Pa55w0rd==", "srsecret"]);
  });

  it("should scrub every secret from a line, the longest first", () => {
    const redact = redactor(["s3cr3t", "s3cr3t-longer"]);
    expect(redact("password s3cr3t-longer and s3cr3t again")).to.equal("password [redacted] and [redacted] again");
    expect(redactor([])("nothing to hide")).to.equal("nothing to hide");
  });
});
